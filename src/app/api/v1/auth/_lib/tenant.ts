import "server-only";

import { env } from "~/env";
import { db } from "~/server/db";
import { auth } from "~/server/auth/config";
import { can, type Permission } from "~/server/auth/permissions";
import { AppError } from "~/server/lib/errors";
import { requestLogger } from "~/server/lib/logger";
import { clientIpFrom, correlationIdFrom } from "~/server/lib/request-meta";
import { findActiveUserById } from "~/server/repositories/users";
import type { TenantCtx } from "~/server/services/context";
import { assertTenantWritable } from "~/server/services/platform/write-guard";
import { resolveTenant } from "~/server/services/tenants/resolve-tenant";

/**
 * The tenant guard of tenantProcedure (src/server/api/trpc.ts) for plain route handlers: the
 * signed-in, active user, their active organization and a role holding `permission`. Every
 * caller writes (media upload, the connect flow), so it also refuses a suspended organization and
 * non-admins during maintenance, as tenantProcedure does for mutations.
 */
export async function tenantFromSession(headers: Headers, permission: Permission): Promise<TenantCtx> {
  const session = await auth();
  const userId = session?.user?.id;
  const user = userId ? await findActiveUserById(db, userId) : null;
  if (!user) throw new AppError("UNAUTHORIZED", "signInRequired", "Sign in to continue");
  const correlationId = correlationIdFrom(headers);
  const request = { correlationId, ip: clientIpFrom(headers, env.TRUSTED_PROXY_HOPS), userAgent: headers.get("user-agent") ?? undefined };
  const log = requestLogger({ correlationId, userId: user.id });
  const tenant = await resolveTenant({ db, userId: user.id, request, log }, user);
  if (!can(tenant.role, permission)) throw new AppError("FORBIDDEN", "roleTooLow", "Your role does not allow this action");
  await assertTenantWritable(db, user, tenant.organizationId);
  return { db, userId: user.id, request, log: log.child({ organizationId: tenant.organizationId }), tenant };
}
