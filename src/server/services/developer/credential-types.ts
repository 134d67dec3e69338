/**
 * Who a bearer credential acts as. Sent as `Authorization: Bearer <value>` to /api/v1 and /api/trpc.
 *
 * - `apiKey` (`ssk_…`): an organization's API key. It acts for that organization only, with exactly
 *   its scopes, and never beyond its creator's current role there (the creator is the audit actor).
 * - `token` (`sst_…`, from POST /api/v1/auth/login): a short-lived token that acts as the user,
 *   like a session.
 */
export type Credential =
  | { kind: "apiKey"; apiKeyId: string; organizationId: string; userId: string; scopes: string[] }
  | { kind: "token"; userId: string };

export const API_KEY_PREFIX = "ssk_";
export const ACCESS_TOKEN_PREFIX = "sst_";
