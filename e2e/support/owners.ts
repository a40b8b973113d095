/** The owner of the e2e "main" server (its OWNER_PHONES): signs in on /owner and decides socket requests. */
export const E2E_OWNER_PHONE = "+12125559901";

/**
 * The e2e "main" server's test number (TEST_NUMBERS) and its configured code, as an app-store reviewer
 * would be given them; the area code is one the fixtures' unique numbers never use.
 */
export const E2E_TEST_NUMBER = "+12025550142";
export const E2E_TEST_CODE = "246810";
