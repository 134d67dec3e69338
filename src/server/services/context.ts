import type { Db } from "~/server/db";
import type { Role } from "~/generated/prisma/enums";
import type { Logger } from "~/server/lib/logger";

/** Where a request came from; copied into audit entries and job payloads. */
export type RequestMeta = {
  correlationId: string;
  ip?: string;
  userAgent?: string;
  /** Set when the request authenticated with an API key: audit entries record which one. */
  apiKeyId?: string;
};

/** A signed-in user, before any organization is chosen. */
export type UserCtx = {
  db: Db;
  userId: string;
  request: RequestMeta;
  log: Logger;
  /** The signed-in session (UserSession row) making the call; absent for API keys, tokens and jobs. */
  sessionId?: string;
};

export type Tenant = { organizationId: string; userId: string; role: Role };

/** What every tenant service receives: the only source of the organization id. */
export type TenantCtx = UserCtx & { tenant: Tenant };
