/** The owner of the e2e "main" server (its OWNER_PHONES): signs in on /owner and decides socket requests. */
export const E2E_OWNER_PHONE = "+12125559901";
