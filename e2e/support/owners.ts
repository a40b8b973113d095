/** The owner of the e2e "main" server (its OWNER_PHONES): signs in on /owner and decides socket requests. */
export const E2E_OWNER_PHONE = "+12125559901";

/**
 * Further owners of the "main" server, one per project that runs owner-webhooks.spec.ts: two projects
 * signing in one number at once would each replace the other's code (PENDING_POLICY replace).
 */
export const E2E_WEBHOOK_OWNER_PHONES: Readonly<Record<string, string>> = { main: "+12125559902", phone: "+12125559903" };

/** The owners who open /owner/insights (owner-insights.spec.ts), one per project, for the same reason. */
export const E2E_INSIGHTS_OWNER_PHONES: Readonly<Record<string, string>> = { main: "+12125559904", phone: "+12125559905" };

/** Every owner of the "main" server, as OWNER_PHONES lists them. */
export const E2E_OWNER_PHONES = [E2E_OWNER_PHONE, ...Object.values(E2E_WEBHOOK_OWNER_PHONES), ...Object.values(E2E_INSIGHTS_OWNER_PHONES)];

/**
 * The e2e "main" server's test number (TEST_NUMBERS) and its configured code, as an app-store reviewer
 * would be given them; the area code is one the fixtures' unique numbers never use.
 */
export const E2E_TEST_NUMBER = "+12025550142";
export const E2E_TEST_CODE = "246810";
