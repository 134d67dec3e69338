/**
 * Fixed, public credentials of the built-in Shopee sandbox. They are in the repository on purpose:
 * with no SHOPEE_PARTNER_ID / SHOPEE_PARTNER_KEY configured the app talks to the sandbox, and both
 * sides must agree on the partner key that signs requests and pushes. They protect nothing.
 */
export const SHOPEE_SANDBOX_PARTNER_ID = 2_000_001;
export const SHOPEE_SANDBOX_PARTNER_KEY = "shpk-sandbox-super-seller-public-key-not-a-secret";
/** Where the sandbox is mounted inside the app (src/app/api/sandbox/shopee/[...path]/route.ts). */
export const SHOPEE_SANDBOX_MOUNT = "/api/sandbox/shopee";
