import { randomUUID } from "node:crypto";

import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

import { createSandboxCatalog, type CatalogStatus, type SandboxCatalog } from "../catalog";
import { badRequestText, htmlNoStore, redirectNoStore, routePath } from "../shared/http";
import { consentPage } from "./consent-page";
import { createOrdersResource } from "./orders";
import {
  SANDBOX_SELLERS,
  itemId,
  mergeItem,
  parseItemId,
  sellerById,
  toMlItem,
  toPerformance,
  type ItemOverlay,
  type SandboxItem,
  type SandboxSeller,
} from "./items";
import { issueToken, pkceS256, readToken, type TokenClaims } from "./tokens";

/**
 * A simulator of Mercado Livre's API (auth.mercadolivre.com.br + api.mercadolibre.com) as a fetch
 * handler. It serves the provider's own paths under a base path, so any client of the real API works
 * against it given that base URL. Data comes from the deterministic catalog; edits live in an
 * in-memory overlay. Provider rules it enforces are the ones in /work/shared/FACTS.md ("Provider
 * APIs"): PKCE, single-use codes and refresh tokens, offset paging capped at 1000 then scan/scroll,
 * multiget of 20, visits windows of 150 days with a 48 h delay, PUT rules, 429s, notifications.
 */

/** Public, fixed credentials of the sandbox app (used when no real credentials are configured). */
export const MERCADOLIVRE_SANDBOX_CLIENT_ID = "5847291036472810";
export const MERCADOLIVRE_SANDBOX_CLIENT_SECRET = "sandbox-mercadolivre-client-secret";

const ACCESS_TTL_SECONDS = 10_800;
const REFRESH_TTL_MS = 180 * 86_400_000;
const CODE_TTL_MS = 10 * 60_000;
const SCROLL_TTL_MS = 5 * 60_000;
const DAY_MS = 86_400_000;
const MAX_VISITS_DAYS = 150;
const APP_SCOPES = ["offline_access", "read", "write"];

export type SandboxFaults = {
  /** The next N API requests answer 429. */
  rateLimited?: number;
  /** The next N API requests answer a 5xx (status `serverErrorStatus`, default 500). */
  serverErrors?: number;
  serverErrorStatus?: number;
  /** Delay every API request by this many ms (the next `delayCount` requests, or all when unset). */
  delayMs?: number;
  delayCount?: number;
};

export type MercadoLivreSandboxOptions = {
  seed?: number | string;
  catalogSize?: number;
  /** Requests per second per application before 429s (0 = unlimited). */
  rateLimitPerSecond?: number;
  /** Current time in ms; tests move it to expire tokens and codes. */
  clock?: () => number;
  /** Where notifications are POSTed (the app's callback URL). Null: none are sent. */
  notificationUrl?: string | null;
  clientId?: string;
  clientSecret?: string;
  /** Signs tokens; keep it stable across restarts so issued tokens stay valid. */
  tokenSecret?: string;
  /** Path prefix the handler is mounted under, e.g. "/api/sandbox/mercadolivre" ("" at the root). */
  basePath?: string;
  faults?: SandboxFaults;
  /** Used to deliver notifications (tests may pass their own). */
  fetch?: typeof fetch;
  /** Delays between notification delivery attempts, ms (ML retries for an hour; kept short here). */
  notificationRetryDelaysMs?: number[];
};

type Notification = {
  _id: string;
  resource: string;
  user_id: number;
  topic: string;
  application_id: number;
  attempts: number;
  sent: string;
  received: string;
};

type MissedFeed = Notification & { request: { url: string }; response: { http_code: number | null; req_time: number } };

type ScrollState = { userId: number; position: number; expiresAt: number; status: string | null };

export type MercadoLivreSandbox = {
  handler: (request: Request) => Promise<Response>;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly catalog: SandboxCatalog;
  readonly sellers: typeof SANDBOX_SELLERS;
  itemId(sellerId: number, index: number): string;
  /** Current state of an item (catalog + overlay), in the provider's wire format. */
  getItem(id: string): ReturnType<typeof toMlItem> | null;
  /** Writes the sandbox accepted for an item (PUT /items/{id} and PUT …/description), since reset. */
  writesOf(id: string): number;
  setFaults(faults: SandboxFaults): void;
  /** Sends a notification (as after a change) and resolves when delivery finished or gave up. */
  notify(input: { userId: number; resource: string; topic: string }): Promise<void>;
  /** Notifications delivered or attempted, newest last. */
  readonly deliveries: Array<Notification & { status: number | null }>;
  /** Waits for in-flight notification deliveries (tests). */
  settle(): Promise<void>;
  reset(): void;
};

type MlErrorCause = { department?: string; cause_id?: number; type?: string; code: string; references?: string[]; message: string };

function mlError(status: number, error: string, message: string, cause: MlErrorCause[] = [], headers?: HeadersInit): Response {
  return Response.json({ message, error, status, cause }, { status, headers });
}

/** GTIN-8/12/13/14 with a valid check digit. */
function validGtin(value: string): boolean {
  if (!/^(\d{8}|\d{12,14})$/.test(value)) return false;
  const digits = [...value].map(Number);
  const check = digits.pop()!;
  const sum = digits.reverse().reduce((acc, d, i) => acc + d * (i % 2 === 0 ? 3 : 1), 0);
  return (10 - (sum % 10)) % 10 === check;
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function parseDay(value: string | null): number | null {
  if (!value) return null;
  const ms = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
  return Number.isFinite(ms) ? Math.floor(ms / DAY_MS) * DAY_MS : null;
}

export function createMercadoLivreSandbox(options: MercadoLivreSandboxOptions = {}): MercadoLivreSandbox {
  const clock = options.clock ?? Date.now;
  const clientId = options.clientId ?? MERCADOLIVRE_SANDBOX_CLIENT_ID;
  const clientSecret = options.clientSecret ?? MERCADOLIVRE_SANDBOX_CLIENT_SECRET;
  const tokenSecret = options.tokenSecret ?? `ml-sandbox:${clientSecret}`;
  const basePath = (options.basePath ?? "").replace(/\/$/, "");
  const catalog = createSandboxCatalog({ seed: options.seed ?? "super-seller", size: options.catalogSize });
  const orders = createOrdersResource(catalog, clock);
  const doFetch = options.fetch ?? fetch;
  const retryDelays = options.notificationRetryDelaysMs ?? [1_000, 5_000, 30_000];
  const rps = options.rateLimitPerSecond ?? 10;
  // Fixed one-second windows per application: the provider's limits are per app, per second.
  let limiter = rps > 0 ? new RateLimiterMemory({ points: rps, duration: 1 }) : null;

  let faults: SandboxFaults = { ...options.faults };
  const overlay = new Map<string, ItemOverlay>();
  const writes = new Map<string, Array<{ at: string; fields: string[] }>>();
  const used = new Map<string, number>(); // jti → expiry (codes and refresh tokens are single-use)
  const scrolls = new Map<string, ScrollState>();
  const deliveries: Array<Notification & { status: number | null }> = [];
  const missed: MissedFeed[] = [];
  const inflight = new Set<Promise<void>>();

  function loadItem(id: string): SandboxItem | null {
    const ref = parseItemId(id, catalog);
    if (!ref) return null;
    return mergeItem(catalog.item(ref.seller.id, ref.index), ref.seller, overlay.get(id));
  }

  function markUsed(claims: TokenClaims): boolean {
    const now = clock();
    for (const [jti, exp] of used) if (exp < now) used.delete(jti);
    if (used.has(claims.jti)) return false;
    used.set(claims.jti, claims.e);
    return true;
  }

  // ─── Notifications ────────────────────────────────────────────────────────────────────────────
  async function deliver(notification: Notification): Promise<void> {
    const url = options.notificationUrl;
    if (!url) return;
    for (let attempt = 1; ; attempt++) {
      const body: Notification = { ...notification, attempts: attempt, sent: new Date(clock()).toISOString() };
      const started = Date.now();
      let status: number | null = null;
      try {
        // ML drops the delivery when the app does not answer within 500 ms.
        const response = await doFetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json" },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(500),
        });
        status = response.status;
        await response.body?.cancel();
      } catch {
        status = null;
      }
      deliveries.push({ ...body, status });
      if (status !== null && status >= 200 && status < 300) return;
      const wait = retryDelays[attempt - 1];
      if (wait === undefined) {
        missed.push({ ...body, request: { url }, response: { http_code: status, req_time: Date.now() - started } });
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  function notify(input: { userId: number; resource: string; topic: string }): Promise<void> {
    const now = new Date(clock()).toISOString();
    const notification: Notification = {
      _id: randomUUID(),
      resource: input.resource,
      user_id: input.userId,
      topic: input.topic,
      application_id: Number(clientId),
      attempts: 0,
      sent: now,
      received: now,
    };
    const p = deliver(notification).finally(() => inflight.delete(p));
    inflight.add(p);
    return p;
  }

  // ─── Auth ─────────────────────────────────────────────────────────────────────────────────────
  function authenticate(request: Request): TokenClaims | Response {
    const header = request.headers.get("authorization") ?? "";
    const token = header.replace(/^Bearer\s+/i, "");
    const claims = token ? readToken(tokenSecret, token, "access") : null;
    if (!claims || claims.c !== clientId) return mlError(401, "not_found", "invalid_token");
    if (claims.e <= clock()) return mlError(401, "unauthorized", "expired_token");
    return claims;
  }

  function issueTokens(userId: number, scopes: string[]) {
    const now = clock();
    const accessToken = issueToken(tokenSecret, { k: "access", c: clientId, u: userId, s: scopes, e: now + ACCESS_TTL_SECONDS * 1000 });
    const body: Record<string, unknown> = {
      access_token: accessToken,
      token_type: "Bearer",
      expires_in: ACCESS_TTL_SECONDS,
      scope: scopes.join(" "),
      user_id: userId,
    };
    // Refresh tokens exist only when the application has the offline_access scope.
    if (scopes.includes("offline_access")) {
      body.refresh_token = issueToken(tokenSecret, { k: "refresh", c: clientId, u: userId, s: scopes, e: now + REFRESH_TTL_MS });
    }
    return Response.json(body, { headers: { "cache-control": "no-store" } });
  }

  const invalidGrant = () =>
    mlError(400, "invalid_grant", "Error validating grant. Your authorization code or refresh token may be expired or it was already used");

  async function oauthToken(request: Request): Promise<Response> {
    const type = request.headers.get("content-type") ?? "";
    const raw = await request.text();
    // ML documents form-encoded bodies (and query parameters); JSON is refused like the real API.
    if (type.includes("application/json")) return mlError(400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded");
    const form = new URLSearchParams(raw);
    const grantType = form.get("grant_type");
    if (form.get("client_id") !== clientId || form.get("client_secret") !== clientSecret) {
      return mlError(401, "invalid_client", "invalid client_id or client_secret");
    }
    const now = clock();
    if (grantType === "authorization_code") {
      const code = form.get("code");
      const claims = code ? readToken(tokenSecret, code, "code") : null;
      if (!claims || claims.c !== clientId || claims.e <= now) return invalidGrant();
      if (form.get("redirect_uri") !== claims.r) return mlError(400, "invalid_grant", "the redirect_uri does not match the one used in the authorization request");
      if (claims.pc) {
        const verifier = form.get("code_verifier");
        if (!verifier) return mlError(400, "invalid_request", "code_verifier is required");
        const computed = claims.pm === "plain" ? verifier : pkceS256(verifier);
        if (computed !== claims.pc) return mlError(400, "invalid_grant", "code_verifier does not match the code_challenge");
      }
      if (!markUsed(claims)) return invalidGrant();
      return issueTokens(claims.u, claims.s);
    }
    if (grantType === "refresh_token") {
      const token = form.get("refresh_token");
      const claims = token ? readToken(tokenSecret, token, "refresh") : null;
      if (!claims || claims.c !== clientId || claims.e <= now) return invalidGrant();
      // Single use: the new token pair replaces this one for good.
      if (!markUsed(claims)) return invalidGrant();
      return issueTokens(claims.u, claims.s);
    }
    return mlError(400, "unsupported_grant_type", `grant_type ${grantType ?? "(missing)"} is not supported`);
  }

  function authorizationGet(url: URL): Response {
    const params = url.searchParams;
    const problem = authorizationProblem(params);
    if (problem) return badRequestText(problem);
    return htmlNoStore(consentPage(`${basePath}/authorization`, params));
  }

  function authorizationProblem(params: URLSearchParams): string | null {
    if (params.get("response_type") !== "code") return "response_type must be code";
    if (params.get("client_id") !== clientId) return "Unknown client_id";
    const redirect = params.get("redirect_uri");
    if (!redirect || !/^https?:\/\//.test(redirect)) return "redirect_uri is required";
    const method = params.get("code_challenge_method");
    if (params.get("code_challenge") && method && method !== "S256" && method !== "plain") return "unsupported code_challenge_method";
    return null;
  }

  async function authorizationPost(request: Request): Promise<Response> {
    const form = new URLSearchParams(await request.text());
    const problem = authorizationProblem(form);
    if (problem) return badRequestText(problem);
    const redirect = new URL(form.get("redirect_uri")!);
    const state = form.get("state");
    if (form.get("decision") !== "allow") {
      redirect.searchParams.set("error", "access_denied");
      redirect.searchParams.set("error_description", "The user denied the authorization");
    } else {
      const seller = sellerById(Number(form.get("user_id"))) ?? SANDBOX_SELLERS[0];
      const requested = (form.get("scope") ?? "").split(/[\s+]+/).filter(Boolean);
      // The app's scopes are configured on the application; `scope` can only narrow them.
      const scopes = requested.length > 0 ? APP_SCOPES.filter((s) => requested.includes(s)) : APP_SCOPES;
      const challenge = form.get("code_challenge");
      const code = issueToken(tokenSecret, {
        k: "code",
        c: clientId,
        u: seller.id,
        s: scopes,
        e: clock() + CODE_TTL_MS,
        r: form.get("redirect_uri")!,
        ...(challenge ? { pc: challenge, pm: form.get("code_challenge_method") === "plain" ? "plain" : "S256" } : {}),
      });
      redirect.searchParams.set("code", code);
    }
    if (state !== null) redirect.searchParams.set("state", state);
    return redirectNoStore(redirect.toString());
  }

  // ─── Resources ────────────────────────────────────────────────────────────────────────────────
  function usersMe(claims: TokenClaims): Response {
    const seller = sellerById(claims.u);
    if (!seller) return mlError(404, "not_found", "user not found");
    return Response.json({
      id: seller.id,
      nickname: seller.nickname,
      first_name: seller.firstName,
      last_name: seller.lastName,
      email: seller.email,
      country_id: "BR",
      site_id: "MLB",
      user_type: "normal",
      registration_date: "2021-03-15T10:00:00.000-03:00",
      permalink: `http://perfil.mercadolivre.com.br/${seller.nickname}`,
      seller_reputation: { level_id: "5_green", power_seller_status: "gold", transactions: { total: 1200, completed: 1150 } },
      status: { site_status: "active" },
    });
  }

  function statusFilter(status: string | null) {
    return status ? (index: number, seller: SandboxSeller) => loadItemByIndex(seller, index).status === status : null;
  }

  function loadItemByIndex(seller: SandboxSeller, index: number): SandboxItem {
    const id = itemId(seller, index);
    return mergeItem(catalog.item(seller.id, index), seller, overlay.get(id));
  }

  function itemsSearch(claims: TokenClaims, userId: number, url: URL): Response {
    const seller = sellerById(userId);
    if (claims.u !== userId) return mlError(403, "forbidden", `Caller id ${claims.u} not allowed to access user ${userId} items`);
    if (!seller) return mlError(404, "not_found", `User ${userId} not found`);
    const params = url.searchParams;
    const status = params.get("status");
    const filter = statusFilter(status);
    // Status filters walk the catalog (as a real index would filter): fine at sandbox sizes.
    const matching = filter ? Array.from({ length: catalog.size }, (_, i) => i).filter((i) => filter(i, seller)) : null;
    const total = matching ? matching.length : catalog.size;
    const idAt = (position: number) => itemId(seller, matching ? matching[position]! : position);
    const base = { seller_id: String(userId), query: null, orders: [{ id: "id_asc", name: "Id ascending" }], available_orders: [] };

    if (params.get("search_type") === "scan") {
      const limit = Number(params.get("limit") ?? "50");
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) return mlError(400, "bad_request", "Invalid limit. The limit must be between 1 and 100 for search_type=scan");
      const now = clock();
      for (const [key, s] of scrolls) if (s.expiresAt < now) scrolls.delete(key);
      const scrollId = params.get("scroll_id");
      let state: ScrollState;
      let id: string;
      if (scrollId) {
        const found = scrolls.get(scrollId);
        if (!found || found.userId !== userId) return mlError(400, "bad_request", "Invalid or expired scroll_id");
        state = found;
        id = scrollId;
      } else {
        state = { userId, position: 0, expiresAt: 0, status };
        id = `${randomUUID().replace(/-/g, "")}`;
        scrolls.set(id, state);
      }
      state.expiresAt = now + SCROLL_TTL_MS;
      const end = Math.min(total, state.position + limit);
      const results = Array.from({ length: end - state.position }, (_, n) => idAt(state.position + n));
      state.position = end;
      return Response.json({ ...base, scroll_id: id, results, paging: { limit, total } });
    }

    const offset = Number(params.get("offset") ?? "0");
    const limit = Number(params.get("limit") ?? "50");
    if (!Number.isInteger(limit) || limit < 1 || limit > 50) return mlError(400, "bad_request", "Invalid limit. The limit must be between 1 and 50");
    if (!Number.isInteger(offset) || offset < 0) return mlError(400, "bad_request", "Invalid offset");
    if (offset + limit > 1000) {
      return mlError(400, "bad_request", "Invalid limit and offset values. offset + limit must be lower or equal than 1000. Use search_type=scan to page through all items");
    }
    const end = Math.min(total, offset + limit);
    const results = offset < end ? Array.from({ length: end - offset }, (_, n) => idAt(offset + n)) : [];
    return Response.json({ ...base, results, paging: { limit, offset, total } });
  }

  function pick(body: Record<string, unknown>, attributes: string[] | null) {
    if (!attributes) return body;
    return Object.fromEntries(attributes.filter((a) => a in body).map((a) => [a, body[a]]));
  }

  function notFoundItem(id: string) {
    return { message: `Item with id ${id} not found`, error: "not_found", status: 404, cause: [] };
  }

  function multiget(url: URL): Response {
    const ids = (url.searchParams.get("ids") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    if (ids.length === 0) return mlError(400, "bad_request", "The parameter ids is required");
    if (ids.length > 20) return mlError(400, "bad_request", "The number of ids must be lower or equal than 20");
    const attrs = url.searchParams.get("attributes");
    const attributes = attrs ? attrs.split(",").map((s) => s.trim()).filter(Boolean) : null;
    return Response.json(
      ids.map((id) => {
        const item = loadItem(id);
        return item ? { code: 200, body: pick(toMlItem(item), attributes) } : { code: 404, body: notFoundItem(id) };
      }),
    );
  }

  function visitsWindow(fromMs: number, toMs: number): Response | null {
    if (toMs < fromMs) return mlError(400, "bad_request", "date_from must be before date_to");
    if ((toMs - fromMs) / DAY_MS + 1 > MAX_VISITS_DAYS) return mlError(400, "bad_request", `The date range must be lower or equal than ${MAX_VISITS_DAYS} days`);
    return null;
  }

  /** Visits counted for a day: ML's counts lag up to 48 h, so the two newest days read as zero. */
  function visitsOn(item: SandboxItem, dayMs: number): number {
    if (dayMs > clock() - 2 * DAY_MS) return 0;
    const ref = parseItemId(item.id, catalog)!;
    return catalog.daily(ref.seller.id, ref.index, day(dayMs), item).visits;
  }

  function itemsVisits(url: URL): Response {
    const ids = (url.searchParams.get("ids") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    if (ids.length === 0) return mlError(400, "bad_request", "The parameter ids is required");
    if (ids.length > 50) return mlError(400, "bad_request", "The number of ids must be lower or equal than 50");
    const from = parseDay(url.searchParams.get("date_from"));
    const to = parseDay(url.searchParams.get("date_to"));
    if (from === null || to === null) return mlError(400, "bad_request", "date_from and date_to are required (YYYY-MM-DD)");
    const invalid = visitsWindow(from, to);
    if (invalid) return invalid;
    const out = [];
    for (const id of ids) {
      const item = loadItem(id);
      if (!item) continue;
      let total = 0;
      for (let d = from; d <= to; d += DAY_MS) total += visitsOn(item, d);
      out.push({
        item_id: id,
        date_from: `${day(from)}T00:00:00Z`,
        date_to: `${day(to)}T00:00:00Z`,
        total_visits: total,
        visits_detail: [{ company: "mercadolibre", quantity: total }],
      });
    }
    return Response.json(out);
  }

  function timeWindow(id: string, url: URL): Response {
    const item = loadItem(id);
    if (!item) return mlError(404, "not_found", `Item with id ${id} not found`);
    const last = Number(url.searchParams.get("last") ?? "0");
    const unit = url.searchParams.get("unit");
    if (unit !== "day") return mlError(400, "bad_request", "unit must be day");
    if (!Number.isInteger(last) || last < 1 || last > MAX_VISITS_DAYS) return mlError(400, "bad_request", `last must be between 1 and ${MAX_VISITS_DAYS}`);
    const ending = parseDay(url.searchParams.get("ending")) ?? Math.floor(clock() / DAY_MS) * DAY_MS;
    const from = ending - (last - 1) * DAY_MS;
    const results = [];
    let total = 0;
    for (let d = from; d <= ending; d += DAY_MS) {
      const visits = visitsOn(item, d);
      total += visits;
      results.push({ date: `${day(d)}T00:00:00Z`, total: visits, visits_detail: [{ company: "mercadolibre", quantity: visits }] });
    }
    return Response.json({ item_id: id, date_from: `${day(from)}T00:00:00Z`, date_to: `${day(ending)}T00:00:00Z`, total_visits: total, last, unit, results });
  }

  function ownItem(claims: TokenClaims, id: string): SandboxItem | Response {
    const item = loadItem(id);
    if (!item) return mlError(404, "not_found", `Item with id ${id} not found`);
    if (item.sellerId !== claims.u) return mlError(403, "forbidden", `User ${claims.u} is not the owner of item ${id}`);
    return item;
  }

  function performance(claims: TokenClaims, id: string): Response {
    const item = ownItem(claims, id);
    if (item instanceof Response) return item;
    if (!item.qualityComputed) return mlError(404, "not_found", `Performance not found for item ${id}`);
    return Response.json(toPerformance(item, new Date(clock()).toISOString()));
  }

  function benchmark(claims: TokenClaims, id: string): Response {
    const item = ownItem(claims, id);
    if (item instanceof Response) return item;
    if (item.status === "closed") return mlError(404, "not_found", `Price benchmark not available for item ${id}`);
    const current = item.priceCents / 100;
    const suggested = item.referencePriceCents / 100;
    const percent = Math.round(((item.priceCents - item.referencePriceCents) / item.referencePriceCents) * 10_000) / 100;
    return Response.json({
      item_id: id,
      status: item.priceCents > item.referencePriceCents * 1.05 ? "with_benchmark_highest" : "with_benchmark_lowest",
      current_price: { amount: current, currency_id: "BRL" },
      suggested_price: { amount: suggested, currency_id: "BRL" },
      lowest_price: { amount: Math.round(item.referencePriceCents * 0.9) / 100, currency_id: "BRL" },
      percent_difference: percent,
      applicable_suggestion: percent > 5,
      compared_values: 12,
      metadata: { graph: [] },
    });
  }

  const validation = (code: string, message: string, references: string[]) =>
    mlError(400, "validation_error", "Validation error", [{ department: "items", cause_id: 0, type: "error", code, references, message }]);

  async function updateItem(claims: TokenClaims, id: string, request: Request): Promise<Response> {
    if (!claims.s.includes("write")) return mlError(403, "forbidden", "The access token does not have the write scope");
    const item = ownItem(claims, id);
    if (item instanceof Response) return item;
    let body: Record<string, unknown>;
    try {
      body = (await request.json()) as Record<string, unknown>;
    } catch {
      return mlError(400, "bad_request", "Invalid JSON body");
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) return mlError(400, "bad_request", "Invalid JSON body");
    const allowed = new Set(["price", "available_quantity", "pictures", "status", "title", "attributes", "shipping"]);
    const unknown = Object.keys(body).filter((k) => !allowed.has(k));
    if (unknown.length > 0) return validation("item.attribute.not_modifiable", `Fields not modifiable by the sandbox: ${unknown.join(", ")}`, unknown.map((k) => `item.${k}`));

    const onlyStatusOrStock = Object.keys(body).every((k) => k === "status" || k === "available_quantity");
    if (item.status === "closed" || item.status === "under_review") {
      return validation("item.status.not_modifiable", `Item ${id} is ${item.status} and cannot be modified`, ["item.status"]);
    }
    // A paused item can only be reactivated (status, or stock for one paused for lack of it).
    if (item.status === "paused" && !onlyStatusOrStock) {
      return validation("item.status.not_active", `Item ${id} is paused: only active items can be modified`, ["item.status"]);
    }

    // Catalog listings take title and technical specs from the catalog product (family level).
    const familyFields = ["title", "attributes"].filter((k) => k in body);
    if (item.catalogListing && familyFields.length > 0) {
      return validation("item.catalog_listing.not_modifiable", `Item ${id} is a catalog listing: ${familyFields.join(", ")} come from the catalog product`, familyFields.map((k) => `item.${k}`));
    }

    const next: ItemOverlay = { ...overlay.get(id) };
    if ("attributes" in body) {
      const list = body.attributes;
      if (!Array.isArray(list) || list.length === 0) return validation("item.attributes.invalid", "attributes must be a non-empty list", ["item.attributes"]);
      const changes: Record<string, string | null> = { ...next.attributes };
      for (const entry of list as Array<Record<string, unknown>>) {
        const attributeId = entry?.id;
        const value = entry?.value_name;
        if (typeof attributeId !== "string" || !/^[A-Z0-9_]{2,60}$/.test(attributeId) || (value !== null && typeof value !== "string")) {
          return validation("item.attributes.invalid", "Each attribute needs an id and a value_name", ["item.attributes"]);
        }
        if (typeof value === "string" && value.length > 255) return validation("item.attributes.invalid", `Attribute ${attributeId} value is too long`, [`item.attributes.${attributeId}`]);
        if (attributeId === "GTIN" && value !== null && !validGtin(value)) {
          return validation("item.attribute.invalid_product_identifier", `GTIN ${value} is not a valid product identifier`, ["item.attributes.GTIN"]);
        }
        changes[attributeId] = value === null ? null : value.trim();
      }
      next.attributes = changes;
    }
    if ("shipping" in body) {
      const shipping = body.shipping as Record<string, unknown> | null;
      if (!shipping || typeof shipping !== "object" || typeof shipping.free_shipping !== "boolean") {
        return validation("item.shipping.invalid", "shipping.free_shipping must be true or false", ["item.shipping.free_shipping"]);
      }
      next.freeShipping = shipping.free_shipping;
    }
    if ("title" in body) {
      if (typeof body.title !== "string" || body.title.trim().length < 3 || body.title.length > 60) {
        return validation("item.title.invalid", "Title must have between 3 and 60 characters", ["item.title"]);
      }
      if (item.soldQuantity > 0 && body.title !== item.title) {
        return validation("item.title.not_modifiable", "You cannot modify the title if the item has sales", ["item.title"]);
      }
      next.title = body.title.trim();
    }
    let priceChanged = false;
    if ("price" in body) {
      const price = body.price;
      if (typeof price !== "number" || !Number.isFinite(price) || price <= 0 || Math.round(price * 100) !== Math.round(price * 100 * 1e6) / 1e6) {
        return validation("item.price.invalid", "Price must be a positive amount with at most 2 decimals", ["item.price"]);
      }
      const cents = Math.round(price * 100);
      if (cents < 500) return validation("item.price.invalid", "The minimum price for this category is R$ 5,00", ["item.price"]);
      priceChanged = cents !== item.priceCents;
      next.priceCents = cents;
    }
    let status: CatalogStatus = item.status;
    let subStatus = item.subStatus;
    if ("available_quantity" in body) {
      const q = body.available_quantity;
      if (typeof q !== "number" || !Number.isInteger(q) || q < 0 || q > 99_999) {
        return validation("item.available_quantity.invalid", "available_quantity must be an integer between 0 and 99999", ["item.available_quantity"]);
      }
      next.stock = q;
      if (q === 0 && status === "active") {
        status = "paused";
        subStatus = "out_of_stock";
      } else if (q > 0 && subStatus === "out_of_stock") {
        status = "active";
        subStatus = null;
      }
    }
    if ("status" in body) {
      if (body.status !== "active" && body.status !== "paused" && body.status !== "closed") {
        return validation("item.status.invalid", "status must be active, paused or closed", ["item.status"]);
      }
      if (body.status === "active" && (next.stock ?? item.stock) === 0) {
        return validation("item.available_quantity.invalid", "An item without stock cannot be activated", ["item.available_quantity"]);
      }
      status = body.status;
      subStatus = null;
    }
    if ("pictures" in body) {
      const pictures = body.pictures;
      if (!Array.isArray(pictures) || pictures.length === 0) return validation("item.pictures.invalid", "pictures must be a non-empty list", ["item.pictures"]);
      if (pictures.length > 12) return validation("item.pictures.max", "An item can have at most 12 pictures", ["item.pictures"]);
      const urls: string[] = [];
      for (const p of pictures as Array<Record<string, unknown>>) {
        const source = typeof p?.source === "string" ? p.source : typeof p?.id === "string" ? `https://http2.mlstatic.com/D_NQ_NP_${p.id}-O.webp` : null;
        if (!source || !/^https?:\/\//.test(source)) return validation("item.pictures.invalid", "Each picture needs a source URL or an id", ["item.pictures"]);
        urls.push(source);
      }
      next.pictureUrls = urls;
    }
    next.status = status;
    next.subStatus = subStatus;
    next.lastUpdated = new Date(clock()).toISOString();
    overlay.set(id, next);
    recordWrite(id, Object.keys(body));
    void notify({ userId: item.sellerId, resource: `/items/${id}`, topic: "items" });
    if (priceChanged) void notify({ userId: item.sellerId, resource: `/items/${id}/prices`, topic: "items_prices" });
    return Response.json(toMlItem(loadItem(id)!));
  }

  /** PUT /items/{id}/description: the description is a resource of its own, plain text only. */
  async function updateDescription(claims: TokenClaims, id: string, request: Request): Promise<Response> {
    if (!claims.s.includes("write")) return mlError(403, "forbidden", "The access token does not have the write scope");
    const item = ownItem(claims, id);
    if (item instanceof Response) return item;
    const body = (await request.json().catch(() => null)) as Record<string, unknown> | null;
    if (!body || typeof body !== "object" || Array.isArray(body)) return mlError(400, "bad_request", "Invalid JSON body");
    if (item.status !== "active") {
      return validation(item.status === "paused" ? "item.status.not_active" : "item.status.not_modifiable", `Item ${id} is ${item.status}: only active items can be modified`, ["item.status"]);
    }
    const text = body.plain_text;
    if (typeof text !== "string" || text.trim().length === 0 || text.length > 50_000) {
      return validation("item.description.invalid", "plain_text must have between 1 and 50000 characters", ["item.description.plain_text"]);
    }
    // Descriptions are plain text: markup and links are refused, as on Mercado Livre.
    if (/<\/?[a-z][^>]*>/i.test(text) || /https?:\/\//i.test(text)) {
      return validation("item.description.invalid_format", "plain_text cannot contain HTML or links", ["item.description.plain_text"]);
    }
    overlay.set(id, { ...overlay.get(id), description: text, lastUpdated: new Date(clock()).toISOString() });
    recordWrite(id, ["description"]);
    void notify({ userId: item.sellerId, resource: `/items/${id}`, topic: "items" });
    const after = loadItem(id)!;
    return Response.json({ text: "", plain_text: after.description, last_updated: after.lastUpdated, date_created: `${after.createdDay}T12:00:00.000Z` });
  }

  function recordWrite(id: string, fields: string[]) {
    const log = writes.get(id) ?? [];
    log.push({ at: new Date(clock()).toISOString(), fields });
    writes.set(id, log);
  }

  function missedFeeds(claims: TokenClaims, url: URL): Response {
    const appId = url.searchParams.get("app_id");
    if (appId !== claims.c) return mlError(403, "forbidden", "app_id does not belong to the caller");
    const topic = url.searchParams.get("topic");
    const offset = Math.max(0, Number(url.searchParams.get("offset") ?? "0") || 0);
    const limit = Math.min(50, Math.max(1, Number(url.searchParams.get("limit") ?? "10") || 10));
    const all = missed.filter((m) => !topic || m.topic === topic);
    return Response.json({ messages: all.slice(offset, offset + limit), total: all.length, offset, limit });
  }

  // ─── Sandbox control (not part of Mercado Livre's API) ────────────────────────────────────────
  async function control(path: string, request: Request): Promise<Response> {
    const body = request.method === "POST" ? ((await request.json().catch(() => ({}))) as Record<string, unknown>) : {};
    if (path === "/_sandbox/state" && request.method === "GET") {
      return Response.json({ faults, catalogSize: catalog.size, sellers: SANDBOX_SELLERS, deliveries: deliveries.slice(-50), missed: missed.length });
    }
    if (path === "/_sandbox/faults" && request.method === "POST") {
      faults = {
        rateLimited: Number(body.rateLimited ?? 0) || 0,
        serverErrors: Number(body.serverErrors ?? 0) || 0,
        serverErrorStatus: Number(body.serverErrorStatus ?? 500) || 500,
        delayMs: Number(body.delayMs ?? 0) || 0,
        delayCount: body.delayCount === undefined ? undefined : Number(body.delayCount),
      };
      return Response.json({ faults });
    }
    if (path === "/_sandbox/reset" && request.method === "POST") {
      api.reset();
      return Response.json({ ok: true });
    }
    if (path === "/_sandbox/notify" && request.method === "POST") {
      const userId = Number(body.user_id);
      if (!sellerById(userId) || typeof body.resource !== "string" || typeof body.topic !== "string") {
        return mlError(400, "bad_request", "user_id (a sandbox seller), resource and topic are required");
      }
      await notify({ userId, resource: body.resource, topic: body.topic });
      return Response.json({ ok: true });
    }
    const writesMatch = /^\/_sandbox\/items\/([^/]+)\/writes$/.exec(path);
    if (writesMatch && request.method === "GET") {
      // Accepted writes (PUT /items/{id} and its description), so tests prove an update landed once.
      const log = writes.get(writesMatch[1]!) ?? [];
      return Response.json({ item_id: writesMatch[1], writes: log.length, log });
    }
    const itemMatch = /^\/_sandbox\/items\/([^/]+)$/.exec(path);
    if (itemMatch && request.method === "POST") {
      // Changes an item as if the seller had edited it on Mercado Livre's site, then notifies.
      const id = itemMatch[1]!;
      const item = loadItem(id);
      if (!item) return mlError(404, "not_found", `Item with id ${id} not found`);
      const next: ItemOverlay = { ...overlay.get(id), lastUpdated: new Date(clock()).toISOString() };
      if (typeof body.price === "number") next.priceCents = Math.round(body.price * 100);
      if (typeof body.available_quantity === "number") next.stock = body.available_quantity;
      if (typeof body.title === "string") next.title = body.title;
      if (typeof body.sold_quantity === "number") next.soldQuantity = body.sold_quantity;
      if (body.status === "active" || body.status === "paused" || body.status === "closed" || body.status === "under_review") {
        next.status = body.status;
        next.subStatus = null;
      }
      overlay.set(id, next);
      await notify({ userId: item.sellerId, resource: `/items/${id}`, topic: "items" });
      if (typeof body.price === "number") await notify({ userId: item.sellerId, resource: `/items/${id}/prices`, topic: "items_prices" });
      return Response.json(toMlItem(loadItem(id)!));
    }
    return mlError(404, "not_found", `Sandbox control ${path} not found`);
  }

  // ─── Faults and rate limiting ─────────────────────────────────────────────────────────────────
  async function injectFault(): Promise<Response | null> {
    if (faults.rateLimited && faults.rateLimited > 0) {
      faults.rateLimited--;
      return mlError(429, "too_many_requests", "Too Many Requests", [], { "retry-after": "1" });
    }
    if (faults.serverErrors && faults.serverErrors > 0) {
      faults.serverErrors--;
      const status = faults.serverErrorStatus ?? 500;
      return mlError(status, status === 503 ? "service_unavailable" : "internal_error", "Internal server error");
    }
    if (faults.delayMs && faults.delayMs > 0 && (faults.delayCount === undefined || faults.delayCount > 0)) {
      if (faults.delayCount !== undefined) faults.delayCount--;
      await new Promise((resolve) => setTimeout(resolve, faults.delayMs));
    }
    return null;
  }

  async function rateLimit(key: string): Promise<Response | null> {
    if (!limiter) return null;
    try {
      await limiter.consume(key);
      return null;
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
      return mlError(429, "too_many_requests", "Too Many Requests", [], { "retry-after": String(seconds) });
    }
  }

  // ─── Routing ──────────────────────────────────────────────────────────────────────────────────
  async function route(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = routePath(url.pathname, basePath);
    const method = request.method;

    if (path.startsWith("/_sandbox/")) return control(path, request);
    if (path === "/authorization") {
      if (method === "GET") return authorizationGet(url);
      if (method === "POST") return authorizationPost(request);
    }

    const fault = await injectFault();
    if (fault) return fault;

    if (path === "/oauth/token" && method === "POST") {
      const limited = await rateLimit(`app:${clientId}`);
      return limited ?? oauthToken(request);
    }

    const claims = authenticate(request);
    if (claims instanceof Response) return claims;
    // Limits are per application, like the provider's.
    const limited = await rateLimit(`app:${claims.c}`);
    if (limited) return limited;

    let m: RegExpExecArray | null;
    if (method === "GET") {
      if (path === "/users/me") return usersMe(claims);
      if ((m = /^\/users\/(\d+)\/items\/search$/.exec(path))) return itemsSearch(claims, Number(m[1]), url);
      if (path === "/items") return multiget(url);
      if (path === "/items/visits") return itemsVisits(url);
      if ((m = /^\/items\/([^/]+)\/visits\/time_window$/.exec(path))) return timeWindow(m[1]!, url);
      if ((m = /^\/items\/([^/]+)\/prices$/.exec(path))) {
        // The resource the items_prices topic points at.
        const item = loadItem(m[1]!);
        if (!item) return mlError(404, "not_found", `Item with id ${m[1]} not found`);
        const amount = item.priceCents / 100;
        return Response.json({
          id: item.id,
          prices: [{ id: "1", type: "standard", amount, regular_amount: null, currency_id: item.currency, last_updated: item.lastUpdated, conditions: { context_restrictions: ["channel_marketplace"] } }],
        });
      }
      if ((m = /^\/items\/([^/]+)\/description$/.exec(path))) {
        const item = loadItem(m[1]!);
        if (!item) return mlError(404, "not_found", `Item with id ${m[1]} not found`);
        return Response.json({ text: "", plain_text: item.description, last_updated: item.lastUpdated, date_created: `${item.createdDay}T12:00:00.000Z` });
      }
      if ((m = /^\/items\/([^/]+)$/.exec(path))) {
        const item = loadItem(m[1]!);
        if (!item) return mlError(404, "not_found", `Item with id ${m[1]} not found`);
        const attrs = url.searchParams.get("attributes");
        return Response.json(pick(toMlItem(item), attrs ? attrs.split(",") : null));
      }
      if ((m = /^\/item\/([^/]+)\/performance$/.exec(path))) return performance(claims, m[1]!);
      if ((m = /^\/marketplace\/benchmarks\/items\/([^/]+)\/details$/.exec(path))) return benchmark(claims, m[1]!);
      if (path === "/missed_feeds") return missedFeeds(claims, url);
      if (path === "/orders/search") return orders.search(claims, url);
    }
    if (method === "PUT" && (m = /^\/items\/([^/]+)$/.exec(path))) return updateItem(claims, m[1]!, request);
    if (method === "PUT" && (m = /^\/items\/([^/]+)\/description$/.exec(path))) return updateDescription(claims, m[1]!, request);
    return mlError(404, "not_found", `Resource ${path} not found`);
  }

  const api: MercadoLivreSandbox = {
    async handler(request) {
      try {
        return await route(request);
      } catch (error) {
        if (error instanceof RangeError) return mlError(400, "bad_request", error.message);
        return mlError(500, "internal_error", "Internal server error");
      }
    },
    clientId,
    clientSecret,
    catalog,
    sellers: SANDBOX_SELLERS,
    itemId(sellerId, index) {
      const seller = sellerById(sellerId);
      if (!seller) throw new RangeError(`unknown sandbox seller ${sellerId}`);
      return itemId(seller, index);
    },
    getItem(id) {
      const item = loadItem(id);
      return item ? toMlItem(item) : null;
    },
    writesOf(id) {
      return writes.get(id)?.length ?? 0;
    },
    setFaults(next) {
      faults = { ...next };
    },
    notify,
    deliveries,
    async settle() {
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
    },
    reset() {
      overlay.clear();
      writes.clear();
      used.clear();
      scrolls.clear();
      deliveries.length = 0;
      missed.length = 0;
      faults = {};
      limiter = rps > 0 ? new RateLimiterMemory({ points: rps, duration: 1 }) : null;
    },
  };
  return api;
}
