/**
 * tRPC core: context, the three procedure kinds, the role guard and the one error formatter.
 *
 * - publicProcedure: anyone.
 * - protectedProcedure: a signed-in, active user (else UNAUTHORIZED).
 * - tenantProcedure: a member of the active organization holding the permission named in the
 *   procedure's meta (else FORBIDDEN). It puts `ctx.tenant = { organizationId, userId, role }` in
 *   context; nothing downstream reads a tenant id from anywhere else. Its mutations are refused
 *   while the organization is suspended (FORBIDDEN `organizationSuspended`).
 * - adminProcedure: a signed-in platform admin (else FORBIDDEN `platformAdminOnly`); needs no
 *   membership anywhere.
 * While maintenance mode is on, protected and tenant mutations are refused (SERVICE_UNAVAILABLE
 * `maintenance`) for everyone but platform admins.
 *
 * Bearer credentials (`Authorization: Bearer …`, see services/developer/credential-types.ts): an
 * access token acts as its user, like a session. An API key reaches tenant procedures only, in its
 * own organization, when one of its scopes covers the procedure's permission and its creator's
 * current role there holds it too (FORBIDDEN `apiKeyScope` / `apiKeyNotAllowed` otherwise).
 * Bearer credentials carry no browser session, so they never pass a `meta.stepUp` check
 * (FORBIDDEN `stepUpRequired`): sensitive operations are done by a person in the app.
 * An OWNER of an organization with `requireOwnerTwoFactor` and no 2FA of their own is refused
 * (FORBIDDEN `twoFactorRequiredByOrganization`) outside ALLOWED_WITHOUT_REQUIRED_TWO_FACTOR.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z, ZodError } from "zod";

import { env } from "~/env";
import { db } from "~/server/db";
import { can, type Permission } from "~/server/auth/permissions";
import { AppError } from "~/server/lib/errors";
import { requestLogger, type Logger } from "~/server/lib/logger";
import { clientIpFrom, correlationIdFrom } from "~/server/lib/request-meta";
import { noteOrganization, observeTrpc } from "~/server/observability/trpc-span";
import { findActiveUserById } from "~/server/repositories/users";
import { scopeAllows } from "~/server/auth/scopes";
import { memberRoleWithinPlan } from "~/server/billing/entitlements";
import type { Credential } from "~/server/services/developer/credential-types";
import { resolveBearer } from "~/server/services/developer/credentials";
import { assertPlatformWritable } from "~/server/services/platform/write-guard";
import type { OpenApiMeta } from "./openapi/types";
import { assertOrganizationWritable } from "~/server/billing/entitlements";
import { resolveTenant } from "~/server/services/tenants/resolve-tenant";
import { assertOwnerTwoFactorPolicy, assertSteppedUp } from "~/server/services/accounts/two-factor";
import { recordProcedureUse } from "~/server/services/product-telemetry/record";
import type { RequestMeta, TenantCtx, UserCtx } from "~/server/services/context";

export type SessionUser = {
  id: string;
  name?: string | null;
  email?: string | null;
  /** The UserSession row behind a cookie session (services/accounts/sessions.ts); absent for bearer calls. */
  sessionId?: string;
};

export type Meta = {
  /** Required on every tenant procedure: the permission the caller's role must hold. */
  permission?: Permission;
  /**
   * A mutation that only changes the caller's own state (switching or leaving an organization,
   * marking notifications read): still allowed while the organization is suspended or the
   * platform is in maintenance.
   */
  personalWrite?: boolean;
  /**
   * A mutation that only takes access away (revoking an API key): still allowed while the
   * organization is suspended or the platform is in maintenance, so a leaked key can always be cut off.
   */
  revokesAccess?: boolean;
  /** Also served as REST under /api/v1 (see api/openapi). */
  openapi?: OpenApiMeta;
  /**
   * A sensitive operation (disconnecting a connection, changing roles, creating API keys, billing
   * changes, erasure…): the caller's session must have re-confirmed its second factor (or its
   * password, without one) within STEP_UP_WINDOW_MINUTES, else FORBIDDEN `stepUpRequired`.
   */
  stepUp?: boolean;
};

export async function createTRPCContext(opts: { headers: Headers; sessionUser: SessionUser | null }) {
  const correlationId = correlationIdFrom(opts.headers);
  const ip = clientIpFrom(opts.headers, env.TRUSTED_PROXY_HOPS);
  // A bearer credential, when sent, replaces the cookie session; a bad one is refused by the
  // protected procedures (never silently downgraded to the cookie or to anonymous).
  let credential: Credential | null = null;
  let credentialError: AppError | null = null;
  try {
    credential = await resolveBearer(db, opts.headers.get("authorization"), { ip });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    credentialError = error;
  }
  const hasBearer = credential !== null || credentialError !== null;
  const sessionUser: SessionUser | null = credential ? { id: credential.userId } : hasBearer ? null : opts.sessionUser;
  const request: RequestMeta = {
    correlationId,
    ip,
    userAgent: opts.headers.get("user-agent") ?? undefined,
    ...(credential?.kind === "apiKey" ? { apiKeyId: credential.apiKeyId } : {}),
  };
  return {
    db,
    sessionUser,
    credential,
    credentialError,
    headers: opts.headers,
    request,
    log: requestLogger({ correlationId, userId: sessionUser?.id }) as Logger,
  };
}
export type TRPCContext = Awaited<ReturnType<typeof createTRPCContext>>;

const t = initTRPC
  .context<TRPCContext>()
  .meta<Meta>()
  .create({
    transformer: superjson,
    isDev: false, // never send stack traces to clients, in any environment
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      const isInternal = error.code === "INTERNAL_SERVER_ERROR";
      return {
        ...shape,
        // Internal errors can carry SQL or provider text: the client only gets a generic message.
        message: isInternal ? "Internal error" : cause instanceof ZodError ? "Invalid input" : shape.message,
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          reason: cause instanceof AppError ? cause.reason : cause instanceof ZodError ? "invalidInput" : undefined,
          details: cause instanceof AppError ? cause.details : undefined,
          fieldErrors: cause instanceof ZodError ? z.flattenError(cause).fieldErrors : undefined,
        },
      };
    },
  });

export const createCallerFactory = t.createCallerFactory;
export const createTRPCRouter = t.router;

/**
 * Turns a service's AppError into the matching TRPCError; logs each call once, with timing. Also
 * the call's telemetry (no-op while telemetry is off): span `trpc <path>` under the request's
 * correlation id, and the `app.requests` / `app.request.duration` metrics.
 */
const observed = t.middleware(({ ctx, path, type, next }) =>
  observeTrpc(ctx.request.correlationId, path, type, async () => {
    const started = performance.now();
    const result = await next();
    const durationMs = Math.round(performance.now() - started);
    if (result.ok) {
      ctx.log.info({ path, type, durationMs }, "trpc call");
      return result;
    }
    const cause = result.error.cause;
    if (cause instanceof AppError) {
      ctx.log.info({ path, type, durationMs, code: cause.code, reason: cause.reason }, "trpc call refused");
      throw new TRPCError({ code: cause.code, message: cause.message, cause });
    }
    if (result.error.code === "INTERNAL_SERVER_ERROR") {
      ctx.log.error({ path, type, durationMs, err: result.error.cause ?? result.error }, "trpc call failed");
    } else {
      ctx.log.info({ path, type, durationMs, code: result.error.code }, "trpc call refused");
    }
    return result;
  }),
);

/** True when a string anywhere in `value` holds a NUL character (PostgreSQL text cannot store one). */
function hasNulByte(value: unknown, depth = 0): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (depth > 64 || value === null || typeof value !== "object") return false;
  for (const [key, item] of Object.entries(value)) if (key.includes("\u0000") || hasNulByte(item, depth + 1)) return true;
  return false;
}

// Found by the fuzz suite: a NUL byte in any text field reached PostgreSQL and came back as a 500.
const rejectNulBytes = t.middleware(async ({ getRawInput, next }) => {
  if (hasNulByte(await getRawInput())) {
    throw refused(new AppError("BAD_REQUEST", "invalidInput", "Text cannot contain NUL characters"));
  }
  return next();
});

export const publicProcedure = t.procedure.use(observed).use(rejectNulBytes);

/** An AppError thrown from a middleware, as the TRPCError `observed` would make of it. */
function refused(error: AppError): TRPCError {
  return new TRPCError({ code: error.code, message: error.message, cause: error });
}

/** Runs an AppError-throwing guard inside a middleware. */
async function guard(check: Promise<unknown>) {
  try {
    await check;
  } catch (error) {
    throw error instanceof AppError ? refused(error) : error;
  }
}

export const protectedProcedure = publicProcedure.use(async ({ ctx, meta, type, next }) => {
  if (ctx.credentialError) throw refused(ctx.credentialError);
  // An API key acts for its organization, never as its creator's account: tenant procedures only.
  if (ctx.credential?.kind === "apiKey" && !meta?.permission) {
    throw refused(new AppError("FORBIDDEN", "apiKeyNotAllowed", "API keys cannot call this procedure"));
  }
  const userId = ctx.sessionUser?.id;
  // Re-checked on every call: a deleted or banned user's still-valid JWT opens nothing.
  const user = userId ? await findActiveUserById(ctx.db, userId) : null;
  if (!user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue" });
  if (type === "mutation" && !meta?.personalWrite && !meta?.revokesAccess) await guard(assertPlatformWritable(ctx.db, user));
  const userCtx: UserCtx = {
    db: ctx.db,
    userId: user.id,
    request: ctx.request,
    log: ctx.log.child({ userId: user.id }),
    ...(ctx.sessionUser?.sessionId ? { sessionId: ctx.sessionUser.sessionId } : {}),
  };
  // Tenant procedures check step-up after membership and role (tenantProcedure below), so a
  // stranger still gets NOT_FOUND / roleTooLow rather than an invitation to confirm.
  if (meta?.stepUp && !meta.permission) await guard(assertSteppedUp(userCtx));
  return next({ ctx: { ...ctx, user: userCtx, userRow: user } });
});

/**
 * What an OWNER who still lacks the second factor their organization requires may do: read the
 * organization and its 2FA policy, and move between or leave organizations. Everything else is
 * FORBIDDEN `twoFactorRequiredByOrganization` until they turn 2FA on (Settings → Segurança,
 * a personal page that never goes through tenantProcedure).
 */
const ALLOWED_WITHOUT_REQUIRED_TWO_FACTOR = new Set(["tenants.current", "tenants.leave", "security.twoFactor.organizationPolicy"]);

export const tenantProcedure = protectedProcedure.use(async ({ ctx, meta, path, type, next }) => {
  const permission = meta?.permission;
  // A tenant procedure without an explicit permission is a programming error, never "allow".
  if (!permission) throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: `No permission declared for ${path}` });

  const tenant = ctx.credential?.kind === "apiKey" ? await apiKeyTenant(ctx.user, ctx.credential, permission) : await resolveTenant(ctx.user, ctx.userRow);
  noteOrganization(tenant.organizationId);
  if (!can(tenant.role, permission)) {
    throw new TRPCError({
      code: "FORBIDDEN",
      message: "Your role does not allow this action",
      cause: new AppError("FORBIDDEN", "roleTooLow", "Your role does not allow this action", { permission }),
    });
  }
  // A suspended organization is read-only: its queries keep working, its mutations stop.
  if (type === "mutation" && !meta?.personalWrite && !meta?.revokesAccess) await guard(assertOrganizationWritable(ctx.db, tenant.organizationId));
  const tenantCtx: TenantCtx = {
    ...ctx.user,
    tenant,
    log: ctx.user.log.child({ organizationId: tenant.organizationId }),
  };
  if (!ALLOWED_WITHOUT_REQUIRED_TWO_FACTOR.has(path)) await guard(assertOwnerTwoFactorPolicy(tenantCtx));
  if (meta?.stepUp) await guard(assertSteppedUp(tenantCtx));
  const result = await next({ ctx: { ...ctx, tenantCtx } });
  // Product telemetry: the feature this path stands for, never the input; not awaited.
  if (result.ok) recordProcedureUse(ctx.db, tenantCtx.log, tenant, path);
  return result;
});

/** The tenant of an API-key request: the key's organization, its creator's current role there. */
async function apiKeyTenant(user: UserCtx, credential: Extract<Credential, { kind: "apiKey" }>, permission: Permission) {
  if (!scopeAllows(credential.scopes, permission)) {
    throw refused(new AppError("FORBIDDEN", "apiKeyScope", "This API key's scopes do not allow this call", { permission }));
  }
  const role = await memberRoleWithinPlan(user.db, credential.organizationId, credential.userId);
  // The creator left the organization: the key acts for nobody.
  if (!role) throw refused(new AppError("UNAUTHORIZED", "invalidCredential", "This API key is no longer valid"));
  return { organizationId: credential.organizationId, userId: credential.userId, role };
}

export const adminProcedure = protectedProcedure.use(async ({ ctx, next }) => {
  // Platform admin is a property of the user, not a role in any organization.
  if (!ctx.userRow.isPlatformAdmin) {
    throw refused(new AppError("FORBIDDEN", "platformAdminOnly", "Only platform admins can do this"));
  }
  return next({ ctx: { ...ctx, admin: ctx.user } });
});
