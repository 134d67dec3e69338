import "server-only";

import type { Db } from "~/server/db";
import type { Credential } from "./credential-types";

/**
 * Resolves an `Authorization: Bearer …` header into a credential. No header: null. A header that
 * is not a valid, live key or token: AppError UNAUTHORIZED (`invalidCredential`), never a fall back
 * to the cookie session.
 */
export async function resolveBearer(_db: Db, authorization: string | null, _meta: { ip?: string }): Promise<Credential | null> {
  // TODO(issue 8, api keys helper): verify API keys (hash lookup, revoked, expired, lastUsed) and access tokens.
  if (!authorization) return null;
  return null;
}
