/**
 * Public, fixed credentials of the Instagram sandbox app, used when no real credentials are
 * configured. Kept apart from the simulator so the connector can name them without loading it.
 */
export const INSTAGRAM_SANDBOX_APP_ID = "990000000000001";
export const INSTAGRAM_SANDBOX_APP_SECRET = "sandbox-instagram-app-secret";
