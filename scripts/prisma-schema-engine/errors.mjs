// Errors in the shapes the Prisma CLI understands.
//
// JSON-RPC mode: the native engine answers a failed request with
//   { code: 4466, message: "An error happened. Check the data field for details.", data }
// where `data` is a "user-facing error": { is_panic, message, meta?, error_code? } (known
// errors carry a P-code), or { is_panic: true, message, backtrace } for a Rust panic.
//
// One-shot `cli` mode: the native engine logs a tracing ERROR line with target
// "schema_engine::logger" and fields { is_panic, error_code, message }, then exits 1.

import { describeServer } from "./pg-config.mjs";

export const RPC_SERVER_ERROR = 4466;
const RPC_SERVER_ERROR_MESSAGE = "An error happened. Check the data field for details.";

export class UserFacingError extends Error {
  /** @param {string | undefined} code  a Prisma error code such as "P1001" */
  constructor(message, code, meta = {}) {
    super(message);
    this.name = "UserFacingError";
    this.code = code;
    this.meta = meta;
  }
}

/** Translate a `pg` error (from our own connections) into Prisma's user-facing error. */
export function fromPgError(error, parsed) {
  if (error instanceof UserFacingError) return error;
  const server = parsed ? describeServer(parsed) : "the database server";
  const code = error?.code;
  if (code === "3D000") {
    return new UserFacingError(
      `Database \`${parsed?.database}\` does not exist on the database server at \`${server}\`.`,
      "P1003",
      { database_name: parsed?.database, database_host: parsed?.host, database_port: parsed?.port },
    );
  }
  const unreachable = ["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "EAI_AGAIN", "ENOENT", "ETIMEDOUT"];
  if (unreachable.includes(code) || /timeout expired/i.test(error?.message ?? "")) {
    return new UserFacingError(
      `Can't reach database server at \`${server}\`\n\nPlease make sure your database server is running at \`${server}\`.`,
      "P1001",
      { database_host: parsed?.host, database_port: parsed?.port },
    );
  }
  if (code === "28P01") {
    return new UserFacingError(
      `Authentication failed against database server at \`${server}\`, the provided database credentials for \`${parsed?.user}\` are not valid.\n\nPlease make sure to provide valid database credentials for the database server at \`${server}\`.`,
      "P1000",
      { database_user: parsed?.user, database_host: parsed?.host },
    );
  }
  if (code === "28000" || code === "42501") {
    return new UserFacingError(
      `User \`${parsed?.user}\` was denied access on the database \`${parsed?.database}\``,
      "P1010",
      { database_user: parsed?.user, database_name: parsed?.database },
    );
  }
  if (code === "42P04") {
    return new UserFacingError(
      `Database \`${parsed?.database}\` already exists on the database server at \`${server}\``,
      "P1009",
      { database_name: parsed?.database, database_host: parsed?.host, database_port: parsed?.port },
    );
  }
  return new UserFacingError(error?.message ?? String(error), undefined);
}

/**
 * Build the JSON-RPC `error` object for an error thrown while serving a request.
 * @param {any} error
 * @param {{ errorRegistry?: { consumeError(id: number): { error: unknown } | undefined } }} ctx
 * @param {{ panic?: string | null }} [panic]
 */
export function toRpcError(error, { errorRegistry } = {}, { panic = null } = {}) {
  if (panic) {
    return {
      code: RPC_SERVER_ERROR,
      message: RPC_SERVER_ERROR_MESSAGE,
      data: { is_panic: true, message: panic, backtrace: error?.stack ?? null },
    };
  }
  // JS errors raised inside the driver adapter reach us as "External error id#N".
  let original = error;
  const external = /External error id#(\d+)/.exec(error?.message ?? "");
  if (external && errorRegistry) {
    const found = errorRegistry.consumeError(Number(external[1]));
    if (found?.error) original = found.error;
  }
  const code = typeof original?.code === "string" && /^P\d{4}$/.test(original.code) ? original.code : undefined;
  const data = { is_panic: false, message: String(original?.message ?? original) };
  if (code) {
    data.error_code = code;
    data.meta = original.meta ?? {};
  }
  return { code: RPC_SERVER_ERROR, message: RPC_SERVER_ERROR_MESSAGE, data };
}
