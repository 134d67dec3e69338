/**
 * Typed application errors. Services throw `AppError`; one formatter (src/server/api/trpc.ts, and
 * the REST/route helpers) turns it into a transport error. `reason` is a stable, machine-readable
 * key the UI translates (messages.*.errors.<reason>); `message` is an English fallback that must
 * never contain secrets, tokens or stack traces.
 */
export const APP_ERROR_CODES = [
  "BAD_REQUEST",
  "UNAUTHORIZED",
  // A plan limit (entitlements): the caller may do this after an upgrade.
  "PAYMENT_REQUIRED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "PRECONDITION_FAILED",
  "PAYLOAD_TOO_LARGE",
  "TOO_MANY_REQUESTS",
  "INTERNAL_SERVER_ERROR",
  // Maintenance mode: writes are paused for everyone but platform admins.
  "SERVICE_UNAVAILABLE",
] as const;
export type AppErrorCode = (typeof APP_ERROR_CODES)[number];

export const HTTP_STATUS_BY_CODE: Record<AppErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  PAYMENT_REQUIRED: 402,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_SERVER_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
};

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly reason: string;
  readonly details?: Record<string, unknown>;

  constructor(
    code: AppErrorCode,
    reason: string,
    message?: string,
    details?: Record<string, unknown>,
  ) {
    super(message ?? reason);
    this.name = "AppError";
    this.code = code;
    this.reason = reason;
    this.details = details;
  }
}

/** The one "not yours or does not exist" error: never reveal that another tenant's row exists. */
export function notFound(what: string): AppError {
  return new AppError("NOT_FOUND", "notFound", `${what} not found`);
}

export function forbidden(reason = "forbidden", message = "You do not have permission to do this"): AppError {
  return new AppError("FORBIDDEN", reason, message);
}
