/** Keys per page (the page's prefetch and the client's list must ask the same). */
export const API_KEYS_PAGE_SIZE = 20;

/** Expiry choices of the "New key" dialog, in days; "custom" picks a date. */
export const EXPIRY_CHOICES = ["never", "30", "90", "365", "custom"] as const;
export type ExpiryChoice = (typeof EXPIRY_CHOICES)[number];

/** Mirrors MAX_API_KEY_LIFETIME_DAYS of the service (services/developer/api-keys.ts). */
export const MAX_LIFETIME_DAYS = 730;

/** Where the API is documented (served by the REST layer and the tRPC panel). */
export const DOC_LINKS = { reference: "/api/v1/docs", openapi: "/api/v1/openapi.json", panel: "/api/panel" } as const;
