import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { z, ZodError } from "zod";

import { env } from "~/env";
import type { SessionUser } from "~/server/api/trpc";
import { AppError, HTTP_STATUS_BY_CODE, type AppErrorCode } from "~/server/lib/errors";
import { sha256 } from "~/server/lib/crypto";
import { BodyTooLargeError, readBodyWithLimit } from "~/server/lib/http";
import { logger } from "~/server/lib/logger";
import { getApiRateLimiter, type ApiRateLimitKind, type RateLimitResult } from "~/server/lib/rate-limit";
import { clientIpFrom, CORRELATION_HEADER, correlationIdFrom } from "~/server/lib/request-meta";
import { observeRest } from "~/server/observability/spans";
import { createCaller } from "../root";
import { createTRPCContext } from "../trpc";
import { matchRoute, type RestRoute } from "./routes";

/**
 * The REST dispatcher behind /api/v1/[...path]: finds the route of a request in the table built
 * from the procedures' `meta.openapi`, builds the procedure's input from the path, the query
 * string or the JSON body, calls the procedure in-process (same session, credential, tenant,
 * permission and input checks as tRPC) and answers `{ data, meta, errors }`.
 */

export const API_PREFIX = "/api/v1";

type ErrorItem = { code: string; message: string; reason?: string; details?: Record<string, unknown>; fieldErrors?: Record<string, string[] | undefined> };

type SessionResolver = () => Promise<SessionUser | null>;

/** The web session (Auth.js), loaded on first use: API clients with a Bearer header never need it. */
const authSession: SessionResolver = async () => {
  const { auth } = await import("~/server/auth/config");
  const session = await auth();
  return session?.user?.id ? { id: session.user.id } : null;
};

let sessionResolver: SessionResolver = authSession;

/** Replaces where the cookie session comes from (tests, where there is no Next.js request); null restores Auth.js. */
export function setRestSessionResolver(resolver: SessionResolver | null) {
  sessionResolver = resolver ?? authSession;
}

/**
 * CSRF: a cookie-authenticated request that changes something must come from the app itself. An
 * `Origin` header that is present and names another origin is refused, and so is a request without
 * Origin that the browser marks `Sec-Fetch-Site: cross-site`; bearer requests (which a browser never
 * sends by itself) and requests with neither header (non-browser clients) pass. Shared by the REST
 * dispatcher and the tRPC route.
 */
export function isCrossOriginCookieWrite(request: Request, appUrl: string = env.APP_URL): boolean {
  if (request.method === "GET" || request.method === "HEAD" || request.method === "OPTIONS") return false;
  if (hasBearer(request.headers)) return false;
  const origin = request.headers.get("origin");
  if (!origin) return request.headers.get("sec-fetch-site") === "cross-site";
  const allowed = new Set([new URL(appUrl).origin, new URL(request.url).origin]);
  return !allowed.has(origin);
}

function hasBearer(headers: Headers): boolean {
  return /^bearer\s/i.test(headers.get("authorization") ?? "");
}

/** The standard rate-limit headers of a limit's state (and Retry-After when it refused). */
export function setRateLimitHeaders(headers: Headers, result: RateLimitResult) {
  headers.set("RateLimit-Limit", String(result.limit));
  headers.set("RateLimit-Remaining", String(result.remaining));
  headers.set("RateLimit-Reset", String(result.resetSeconds));
  headers.set("RateLimit-Policy", `${result.limit};w=60`);
  if (result.blocked) headers.set("Retry-After", String(result.retryAfterSeconds));
}

/**
 * Whose budget a request spends: its bearer credential (by hash, the same on /api/v1 and
 * /api/trpc), else the signed-in user, else the client IP.
 */
function rateLimitIdentity(headers: Headers, sessionUserId: string | null, ip: string): string {
  const bearer = /^bearer\s+(\S+)/i.exec(headers.get("authorization") ?? "")?.[1];
  if (bearer) return `bearer:${sha256(bearer)}`;
  return sessionUserId ? `user:${sessionUserId}` : `ip:${ip}`;
}

/**
 * Bearer calls to /api/trpc (API keys, access tokens) count against the same limits as /api/v1:
 * per client IP, and per credential as reads (GET, queries) or writes (POST, mutations). Keyed by
 * the credential's hash, so a key cannot escape its budget by switching endpoints. Cookie calls
 * (the web app itself) are not limited here. Returns the headers to add, or the 429 to answer.
 */
export async function limitBearerTrpcCall(request: Request): Promise<{ headers: Headers; refused: Response | null }> {
  const headers = new Headers();
  if (!hasBearer(request.headers)) return { headers, refused: null };
  const limiter = getApiRateLimiter();
  const ip = clientIpFrom(request.headers, env.TRUSTED_PROXY_HOPS);
  const ipLimit = await limiter.consume("ip", ip);
  const classLimit = ipLimit.blocked ? ipLimit : await limiter.consume(request.method === "GET" ? "read" : "write", rateLimitIdentity(request.headers, null, ip));
  const constraining = mostConstraining([ipLimit, classLimit]);
  setRateLimitHeaders(headers, constraining);
  if (!constraining.blocked) return { headers, refused: null };
  const error = { message: "Too many requests, try again later", code: -32029, data: { code: "TOO_MANY_REQUESTS", httpStatus: 429, reason: "rateLimited", details: { retryAfterSeconds: constraining.retryAfterSeconds } } };
  return { headers, refused: Response.json({ error }, { status: 429, headers }) };
}

class RestResponder {
  readonly headers = new Headers();
  constructor(readonly correlationId: string) {
    this.headers.set(CORRELATION_HEADER, correlationId);
  }

  rateLimit(result: RateLimitResult) {
    setRateLimitHeaders(this.headers, result);
  }

  ok(data: unknown, status: number, nextCursor?: string | null) {
    const meta = nextCursor !== undefined ? { correlationId: this.correlationId, nextCursor } : { correlationId: this.correlationId };
    return Response.json({ data, meta, errors: [] }, { status, headers: this.headers });
  }

  error(status: number, item: ErrorItem) {
    return Response.json({ data: null, meta: { correlationId: this.correlationId }, errors: [item] }, { status, headers: this.headers });
  }

  appError(code: AppErrorCode, reason: string, message: string, details?: Record<string, unknown>) {
    return this.error(HTTP_STATUS_BY_CODE[code], { code, message, reason, ...(details ? { details } : {}) });
  }
}

/** The most constraining of several limits: a refusal first, else the fewest requests left. */
function mostConstraining(results: RateLimitResult[]): RateLimitResult {
  const blocked = results.filter((r) => r.blocked).sort((a, b) => b.retryAfterSeconds - a.retryAfterSeconds);
  if (blocked[0]) return blocked[0];
  return [...results].sort((a, b) => a.remaining - b.remaining || b.resetSeconds - a.resetSeconds)[0]!;
}

/** The base zod type under optional/nullable/default wrappers. */
function baseType(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let i = 0; i < 10; i++) {
    const def = current._zod.def as { type: string; innerType?: z.ZodType; in?: z.ZodType };
    if (def.innerType && ["optional", "nullable", "default", "prefault", "nonoptional", "readonly", "catch"].includes(def.type)) current = def.innerType;
    else if (def.type === "pipe" && def.in) current = def.in;
    else break;
  }
  return current;
}

/** A query string value as the field's type wants it; left as is when it does not fit (zod then refuses it). */
function coerceScalar(schema: z.ZodType, value: string): unknown {
  switch (baseType(schema)._zod.def.type) {
    case "number":
    case "int":
      return value.trim() !== "" && Number.isFinite(Number(value)) ? Number(value) : value;
    case "boolean":
      return value === "true" || value === "1" ? true : value === "false" || value === "0" ? false : value;
    case "date": {
      const date = new Date(value);
      return Number.isNaN(date.getTime()) ? value : date;
    }
    default:
      return value;
  }
}

/** GET input: every declared field from the query string (arrays as repeated keys). */
export function inputFromQuery(route: RestRoute, params: URLSearchParams): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  if (!route.input) return input;
  for (const [name, field] of Object.entries(route.input.shape) as Array<[string, z.ZodType]>) {
    const values = params.getAll(name);
    if (values.length === 0) continue;
    const base = baseType(field);
    if (base._zod.def.type === "array") {
      const element = (base._zod.def as unknown as { element: z.ZodType }).element;
      input[name] = values.map((value) => coerceScalar(element, value));
    } else {
      input[name] = coerceScalar(field, values[values.length - 1]!);
    }
  }
  return input;
}

/** JSON bodies carry dates as ISO strings: revive them where the input schema wants a Date. */
export function reviveDates(schema: z.ZodType, value: unknown): unknown {
  const base = baseType(schema);
  const type = base._zod.def.type;
  if (type === "date" && typeof value === "string") return coerceScalar(base, value);
  if (type === "object" && value && typeof value === "object" && !Array.isArray(value)) {
    const shape = (base as z.ZodObject).shape as Record<string, z.ZodType>;
    // hasOwn: a body key "__proto__" must not find Object.prototype as its schema (found by the fuzz suite: a 500).
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, Object.hasOwn(shape, key) ? reviveDates(shape[key]!, inner) : inner]));
  }
  if (type === "array" && Array.isArray(value)) {
    const element = (base._zod.def as unknown as { element: z.ZodType }).element;
    return value.map((inner) => reviveDates(element, inner));
  }
  return value;
}

/** `application/json` or a `+json` type, with or without parameters (charset). */
export function isJsonContentType(value: string | null): boolean {
  return value !== null && /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i.test(value.trim());
}

type BodyResult = { ok: true; body: Record<string, unknown> } | { ok: false; response: Response };

async function readJsonBody(request: Request, respond: RestResponder): Promise<BodyResult> {
  let bytes: Uint8Array;
  try {
    bytes = await readBodyWithLimit(request, env.MAX_REQUEST_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      return { ok: false, response: respond.appError("PAYLOAD_TOO_LARGE", "bodyTooLarge", `The body is larger than ${env.MAX_REQUEST_BODY_BYTES} bytes`) };
    }
    throw error;
  }
  const text = new TextDecoder().decode(bytes);
  if (!text.trim()) return { ok: true, body: {} };
  // A body is JSON or nothing: a form or text/plain body (what a cross-site form can send) is refused, never guessed at.
  if (!isJsonContentType(request.headers.get("content-type"))) {
    return { ok: false, response: respond.error(415, { code: "UNSUPPORTED_MEDIA_TYPE", message: "Send the body as JSON with Content-Type: application/json", reason: "unsupportedMediaType" }) };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, response: respond.appError("BAD_REQUEST", "invalidJson", "The body is not valid JSON") };
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { ok: false, response: respond.appError("BAD_REQUEST", "bodyNotObject", "The body must be a JSON object") };
  }
  return { ok: true, body: body as Record<string, unknown> };
}

function errorFromTrpc(error: TRPCError): ErrorItem {
  const cause = error.cause;
  if (error.code === "INTERNAL_SERVER_ERROR") return { code: error.code, message: "Internal error" };
  if (cause instanceof ZodError) {
    return { code: error.code, message: "Invalid input", reason: "invalidInput", fieldErrors: z.flattenError(cause).fieldErrors as Record<string, string[]> };
  }
  if (cause instanceof AppError) {
    return { code: error.code, message: error.message, reason: cause.reason, ...(cause.details ? { details: cause.details } : {}) };
  }
  return { code: error.code, message: error.message };
}

async function callProcedure(caller: ReturnType<typeof createCaller>, procedure: string, input: unknown): Promise<unknown> {
  let target: unknown = caller;
  for (const key of procedure.split(".")) target = (target as Record<string, unknown>)[key];
  return (target as (input: unknown) => Promise<unknown>)(input);
}

function pathParts(url: URL): string[] | null {
  if (!url.pathname.startsWith(`${API_PREFIX}/`)) return null;
  try {
    return url.pathname
      .slice(API_PREFIX.length + 1)
      .split("/")
      .filter((part, i, all) => part !== "" || i < all.length - 1)
      .map((part) => decodeURIComponent(part));
  } catch {
    return null;
  }
}

/** Answers one REST request (span `rest <METHOD> <template>` and the request metrics, see observability). */
export async function dispatchRest(request: Request): Promise<Response> {
  const correlationId = correlationIdFrom(request.headers);
  return observeRest(request.method.toUpperCase(), correlationId, (setRoute) => dispatch(request, correlationId, setRoute));
}

async function dispatch(request: Request, correlationId: string, setRoute: (template: string) => void): Promise<Response> {
  const respond = new RestResponder(correlationId);
  const url = new URL(request.url);
  const method = request.method.toUpperCase();
  const ip = clientIpFrom(request.headers, env.TRUSTED_PROXY_HOPS);
  const limiter = getApiRateLimiter();

  try {
    // Per client IP, before anything else (unknown paths included).
    const ipLimit = await limiter.consume("ip", ip);
    respond.rateLimit(ipLimit);
    if (ipLimit.blocked) return tooManyRequests(respond, ipLimit);

    const parts = pathParts(url);
    const match = parts ? matchRoute(method, parts) : ({ kind: "notFound" } as const);
    if (match.kind === "notFound") return respond.appError("NOT_FOUND", "routeNotFound", `No route ${method} ${url.pathname}`);
    if (match.kind === "wrongMethod") {
      respond.headers.set("Allow", match.allow.join(", "));
      return respond.error(405, { code: "METHOD_NOT_SUPPORTED", message: `Use ${match.allow.join(" or ")} for ${url.pathname}`, reason: "methodNotAllowed" });
    }
    const { route, params } = match;
    setRoute(route.openapi.path);

    if (isCrossOriginCookieWrite(request)) {
      return respond.appError("FORBIDDEN", "crossOrigin", "Cross-origin requests with the session cookie cannot change anything");
    }

    // The credential: a Bearer header replaces the cookie session (createTRPCContext resolves it).
    const headers = new Headers(request.headers);
    headers.set(CORRELATION_HEADER, correlationId);
    const session = hasBearer(request.headers) ? null : await sessionResolver();
    const ctx = await createTRPCContext({ headers, sessionUser: session });

    const kind: ApiRateLimitKind = route.openapi.rateLimitClass ?? (route.openapi.method === "GET" ? "read" : "write");
    const who = kind === "auth" ? `ip:${ip}` : rateLimitIdentity(request.headers, ctx.sessionUser?.id ?? null, ip);
    const classLimit = await limiter.consume(kind, who);
    const constraining = mostConstraining([ipLimit, classLimit]);
    respond.rateLimit(constraining);
    if (classLimit.blocked) return tooManyRequests(respond, classLimit);

    let input: Record<string, unknown>;
    if (route.openapi.method === "GET") {
      input = inputFromQuery(route, url.searchParams);
    } else {
      const body = await readJsonBody(request, respond);
      if (!body.ok) return body.response;
      input = route.input ? (reviveDates(route.input, body.body) as Record<string, unknown>) : body.body;
    }
    Object.assign(input, params);

    const result = await callProcedure(createCaller(ctx), route.procedure, route.input ? input : undefined);
    return respondWithOutput(route, result, respond);
  } catch (error) {
    if (error instanceof TRPCError) return respond.error(getHTTPStatusCodeFromError(error), errorFromTrpc(error));
    logger.error({ err: error, correlationId, path: url.pathname }, "REST call failed");
    return respond.error(500, { code: "INTERNAL_SERVER_ERROR", message: "Internal error" });
  }
}

function tooManyRequests(respond: RestResponder, result: RateLimitResult) {
  respond.rateLimit(result);
  return respond.appError("TOO_MANY_REQUESTS", "rateLimited", "Too many requests, try again later", { retryAfterSeconds: result.retryAfterSeconds });
}

/** Serializes the result (Dates → ISO strings) and parses it against the public contract. */
function respondWithOutput(route: RestRoute, result: unknown, respond: RestResponder): Response {
  const { openapi } = route;
  const json: unknown = result === undefined ? null : JSON.parse(JSON.stringify(result));
  const contract = openapi.paginated ? z.array(openapi.output) : openapi.output;
  const value = openapi.paginated ? (json as { items?: unknown } | null)?.items : json;
  // A contract may also declare z.date(): the ISO string is revived for it, and serialized back below.
  const parsed = contract.safeParse(reviveDates(contract, value));
  if (!parsed.success) {
    // The procedure returned something its public contract does not describe: a bug on our side.
    logger.error({ procedure: route.procedure, correlationId: respond.correlationId, issues: parsed.error.issues.slice(0, 10) }, "REST response contract violation");
    return respond.error(500, { code: "INTERNAL_SERVER_ERROR", message: "Internal error", reason: "contractViolation" });
  }
  const status = openapi.successStatus ?? 200;
  const data: unknown = parsed.data === undefined ? null : JSON.parse(JSON.stringify(parsed.data));
  if (openapi.paginated) return respond.ok(data, status, (json as { nextCursor?: string | null }).nextCursor ?? null);
  return respond.ok(data, status);
}
