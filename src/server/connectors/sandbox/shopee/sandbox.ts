import { createHmac, randomBytes } from "node:crypto";

import { createSandboxCatalog, type CatalogItem, type SandboxCatalog } from "../catalog";
import { escapeHtml } from "../shared/http";
import { macMatches } from "../shared/tokens";
import { SHOPEE_SANDBOX_MOUNT, SHOPEE_SANDBOX_PARTNER_ID, SHOPEE_SANDBOX_PARTNER_KEY } from "./constants";
import { createShopeeOrders } from "./orders";
import { TokenMint, type TokenPayload } from "./tokens";

/**
 * A simulator of Shopee Open Platform v2 as a fetch handler. It serves Shopee's own paths
 * ("/api/v2/…") under whatever prefix it is mounted at, checks signatures, timestamps and tokens the
 * way Shopee does, answers in Shopee's envelope with Shopee's error codes, and sends signed pushes.
 * Items come from the shared deterministic catalog (seller = shop_id); edits made through the API
 * live in an in-memory overlay. Faults (429, 5xx, delays) are injected through `injectFaults` or
 * POST …/_sandbox/faults.
 *
 * Where Shopee's documentation is silent the sandbox picks one plausible behaviour and says so:
 * HTTP status per error code, the rate-limit error code (`error_busy`), title length limits, the
 * item_price_update_push body. Those choices are marked "sandbox rule" below.
 */
export type ShopeeSandboxOptions = {
  seed?: number | string;
  catalogSize?: number;
  /** Requests per second per partner before `error_busy` / 429; 0 disables the limit. */
  rateLimitPerSecond?: number;
  /** Clock in ms; the control endpoint can move it forward for token-expiry demos. */
  clock?: () => number;
  partnerId?: number;
  partnerKey?: string;
  /** Key for the sandbox's own tokens; default derived from the partner key (public in the repo). */
  tokenSecret?: string;
  /** Callback URL for pushes (Shopee: one per app); null sends none. */
  pushUrl?: string | null;
  /** Used for pushes (tests can pass their own). */
  fetch?: typeof fetch;
  /**
   * The sandbox's public base URL (image URLs point there). Default: the request's origin and
   * mount prefix — behind a proxy or in Next that can differ from what browsers reach.
   */
  publicUrl?: string;
  /** Shops a seller can authorize on the sandbox's authorization page. */
  shops?: { shopId: number; name: string }[];
};

export type ShopeeFaults = {
  /** The next N API calls answer 429 `error_busy`. */
  rateLimit?: number;
  /** The next N API calls answer 500 `error_server`. */
  serverError?: number;
  /** Delay before answering, in ms… */
  delayMs?: number;
  /** …for the next N API calls (default: every call until cleared). */
  delayCount?: number;
  /** Only API paths starting with this are affected, e.g. "/api/v2/product/". */
  path?: string;
};

export type ShopeePushRecord = {
  url: string | null;
  code: number;
  shopId: number;
  body: string;
  authorization: string;
  status: number | null;
  error: string | null;
};

export type ShopeeSandbox = {
  readonly partnerId: number;
  readonly partnerKey: string;
  readonly shops: readonly { shopId: number; name: string }[];
  readonly catalog: SandboxCatalog;
  /** The fetch handler (mount it anywhere; the "/api/v2/…" part of the path is what counts). */
  handler(request: Request): Promise<Response>;
  injectFaults(faults: ShopeeFaults): void;
  clearFaults(): void;
  /** Moves the sandbox clock forward (tokens and links expire). */
  advanceClock(seconds: number): void;
  now(): number;
  /** Pushes sent so far (newest last, at most 500 kept). */
  readonly pushes: readonly ShopeePushRecord[];
  /** Resolves when every push sent so far has been delivered or failed. */
  flushPushes(): Promise<void>;
  sendPush(shopId: number, code: number, data: Record<string, unknown>): Promise<ShopeePushRecord>;
  /** Shopee item id ↔ catalog index, for tests and demo data. */
  itemId(shopId: number, index: number): number;
  /** Writes the sandbox accepted for an item (update_item/price/stock, unlist_item), since reset. */
  writesOf(itemId: number | string): number;
  reset(): void;
};

export const SHOPEE_SANDBOX_DEFAULT_SHOPS = [
  { shopId: 880_000_001, name: "Loja Demo Sandbox" },
  { shopId: 880_000_002, name: "Loja Demo Sandbox 2" },
  { shopId: 880_000_003, name: "Loja Demo Sandbox 3" },
];

const LINK_TTL_S = 300; // auth link and every request timestamp: ±5 minutes
const CODE_TTL_MS = 10 * 60_000;
const ACCESS_TTL_S = 4 * 3600;
const REFRESH_TTL_MS = 30 * 24 * 3600_000;
const ROTATION_GRACE_MS = 5 * 60_000; // a replaced access token keeps working for 5 more minutes
const AUTHORIZATION_TTL_MS = 365 * 24 * 3600_000;
const MAX_BATCH = 50;
const MAX_PAGE = 100;
const ITEM_ID_BASE = 20_000_000_000; // item_id = base + shopSlot * 1e6 + index
const SHOP_SLOT = 1_000_000;
const DAY_MS = 86_400_000;

type ShopeeStatus = "NORMAL" | "UNLIST" | "BANNED" | "DELETED";
const STATUSES: readonly ShopeeStatus[] = ["NORMAL", "UNLIST", "BANNED", "DELETED"];

/** Sandbox rule: Shopee's HTTP status per error is undocumented; these follow what clients see. */
const HTTP_STATUS: Record<string, number> = {
  error_param: 400,
  error_sign: 403,
  error_auth: 403,
  invalid_acceess_token: 403,
  invalid_code: 403,
  refresh_token_expired: 403,
  shop_access_expired: 403,
  error_permission: 403,
  error_not_found: 404,
  error_item_not_found: 404,
  error_busy: 429,
  error_server: 500,
};

class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Overlay = {
  name?: string;
  status?: ShopeeStatus;
  prices: Map<number, number>; // model_id → cents
  stocks: Map<number, number>;
  promotion: Set<number>; // model ids locked by an ongoing promotion
  updateTime?: number; // seconds
  description?: string;
  /** Attribute values set through update_item, by attribute_id. */
  attributes?: Map<number, string>;
  /** gtin_code set through update_item ("00" = declared without GTIN). */
  gtin?: string;
};

/** Sandbox rule: description length accepted by update_item (Shopee sets it per category). */
const DESCRIPTION_MAX = 3000;
const ATTRIBUTE_ID_BASE = 100_000;

type Model = { modelId: number; option: string; priceCents: number; stock: number };

function hmacHex(key: string, message: string): string {
  return createHmac("sha256", key).update(message, "utf8").digest("hex");
}

function equalHex(expected: string, received: string): boolean {
  return macMatches(expected, received.toLowerCase());
}

function requestId(): string {
  return randomBytes(16).toString("hex");
}

function json(body: Record<string, unknown>, status = 200): Response {
  return Response.json(body, { status });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function intParam(value: string | null | undefined): number | null {
  if (value === null || value === undefined || !/^-?\d+$/.test(value.trim())) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : null;
}

function idList(url: URL, name: string): number[] | null {
  const raw = url.searchParams.getAll(name).flatMap((v) => v.replace(/^\[|\]$/g, "").split(","));
  const ids = raw.map((v) => intParam(v)).filter((v): v is number => v !== null);
  return ids.length === raw.length && ids.length > 0 ? ids : null;
}

export function createShopeeSandbox(options: ShopeeSandboxOptions = {}): ShopeeSandbox {
  const partnerId = options.partnerId ?? SHOPEE_SANDBOX_PARTNER_ID;
  const partnerKey = options.partnerKey ?? SHOPEE_SANDBOX_PARTNER_KEY;
  const catalog = createSandboxCatalog({ seed: options.seed ?? "super-seller", size: options.catalogSize });
  const shops = options.shops ?? SHOPEE_SANDBOX_DEFAULT_SHOPS;
  const baseClock = options.clock ?? Date.now;
  const pushFetch = options.fetch ?? fetch;
  const rateLimit = options.rateLimitPerSecond ?? 20;
  const mint = new TokenMint(options.tokenSecret ?? partnerKey);

  let clockOffsetMs = 0;
  const now = () => baseClock() + clockOffsetMs;

  // ─── In-memory state (forgotten on restart by design; see tokens.ts) ───
  let usedCodes = new Set<string>();
  let usedRefresh = new Set<string>();
  let accessState = new Map<number, { current: string; previous: string | null; graceUntil: number }>();
  let deauthorized = new Set<number>();
  let overlays = new Map<number, Overlay>(); // by item_id
  let writes = new Map<number, Array<{ at: number; path: string }>>(); // accepted writes by item_id
  let statusCache = new Map<number, ShopeeStatus[]>(); // by shop_id, base statuses of the catalog
  let faults: ShopeeFaults = {};
  let rateWindow = { second: 0, count: 0 };
  const pushes: ShopeePushRecord[] = [];
  const pending = new Set<Promise<unknown>>();

  function shopSlot(shopId: number): number {
    const slot = shops.findIndex((s) => s.shopId === shopId);
    return slot < 0 ? -1 : slot + 1;
  }

  function itemId(shopId: number, index: number): number {
    return ITEM_ID_BASE + shopSlot(shopId) * SHOP_SLOT + index;
  }

  const orders = createShopeeOrders(catalog, { now: () => now(), slotOf: shopSlot, itemId });

  /** The catalog index of an item id of this shop, or null when it is not one of its items. */
  function indexOf(shopId: number, id: number): number | null {
    const rel = id - ITEM_ID_BASE;
    if (rel < 0 || Math.floor(rel / SHOP_SLOT) !== shopSlot(shopId)) return null;
    const index = rel % SHOP_SLOT;
    return catalog.has(index) ? index : null;
  }

  function overlay(id: number): Overlay {
    let o = overlays.get(id);
    if (!o) {
      o = { prices: new Map(), stocks: new Map(), promotion: new Set() };
      overlays.set(id, o);
    }
    return o;
  }

  function baseStatus(item: CatalogItem): ShopeeStatus {
    switch (item.status) {
      case "active":
        return "NORMAL";
      case "paused":
        return "UNLIST";
      case "under_review":
        return "BANNED";
      default:
        return "DELETED";
    }
  }

  function statusOf(shopId: number, index: number): ShopeeStatus {
    const o = overlays.get(itemId(shopId, index));
    if (o?.status) return o.status;
    let cache = statusCache.get(shopId);
    if (!cache) {
      // One pass over the catalog per shop, so filtered paging stays cheap on 100 000 items.
      cache = Array.from({ length: catalog.size }, (_, i) => baseStatus(catalog.item(String(shopId), i)));
      statusCache.set(shopId, cache);
    }
    return cache[index]!;
  }

  function models(shopId: number, index: number, item: CatalogItem): Model[] {
    const id = itemId(shopId, index);
    const o = overlays.get(id);
    if (!item.hasVariations) {
      return [{ modelId: 0, option: "", priceCents: o?.prices.get(0) ?? item.priceCents, stock: o?.stocks.get(0) ?? item.stock }];
    }
    const count = 2 + (index % 2);
    return Array.from({ length: count }, (_, k) => {
      const modelId = id * 10 + k + 1;
      const baseStock = Math.floor(item.stock / count) + (k === 0 ? item.stock % count : 0);
      return {
        modelId,
        option: k === 0 ? item.variant : `${item.variant} ${k === 1 ? "Plus" : "Max"}`,
        priceCents: o?.prices.get(modelId) ?? item.priceCents + k * 1000,
        stock: o?.stocks.get(modelId) ?? baseStock,
      };
    });
  }

  function updateTimeOf(id: number, item: CatalogItem): number {
    return overlays.get(id)?.updateTime ?? Math.floor(Date.parse(`${item.createdDay}T12:00:00Z`) / 1000);
  }

  function imageUrls(origin: string, id: number, count: number): string[] {
    return Array.from({ length: count }, (_, k) => `${origin}/_sandbox/images/${id}/${k + 1}.svg`);
  }

  /** Lifetime `views`: the last 30 days day by day, the item's earlier life at its mean rate. */
  function lifetimeViews(shopId: number, index: number, item: CatalogItem): number {
    const today = Math.floor(now() / DAY_MS);
    const created = Math.floor(Date.parse(`${item.createdDay}T00:00:00Z`) / DAY_MS);
    let views = Math.round(Math.max(0, today - 30 - created) * item.baseDailyVisits);
    for (let d = Math.max(created, today - 30); d < today; d++) {
      views += catalog.daily(String(shopId), index, new Date(d * DAY_MS).toISOString().slice(0, 10), item).visits;
    }
    return views;
  }

  // ─── Pushes ───
  function sendPush(shopId: number, code: number, data: Record<string, unknown>): Promise<ShopeePushRecord> {
    const url = options.pushUrl ?? null;
    const body = JSON.stringify({ data, shop_id: shopId, code, timestamp: Math.floor(now() / 1000) });
    const record: ShopeePushRecord = {
      url,
      code,
      shopId,
      body,
      authorization: url ? hmacHex(partnerKey, `${url}|${body}`) : "",
      status: null,
      error: null,
    };
    pushes.push(record);
    if (pushes.length > 500) pushes.shift();
    if (!url) {
      record.error = "no push URL configured";
      return Promise.resolve(record);
    }
    // Shopee waits 3 s for a 2xx with an empty body; anything else counts as a failed push.
    const delivery = pushFetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: record.authorization },
      body,
      signal: AbortSignal.timeout(3000),
    })
      .then(async (res) => {
        record.status = res.status;
        const text = await res.text();
        if (!res.ok) record.error = `HTTP ${res.status}`;
        else if (text.length > 0) record.error = "non-empty body (Shopee counts this as a failed push)";
        return record;
      })
      .catch((error: unknown) => {
        record.error = error instanceof Error ? error.message : String(error);
        return record;
      });
    pending.add(delivery);
    void delivery.finally(() => pending.delete(delivery));
    return delivery;
  }

  // ─── Request checks ───
  function checkTimestamp(url: URL) {
    const ts = intParam(url.searchParams.get("timestamp"));
    if (ts === null) throw new ApiError("error_param", "timestamp is required.");
    if (Math.abs(Math.floor(now() / 1000) - ts) > LINK_TTL_S) throw new ApiError("error_param", "Invalid timestamp.");
    return ts;
  }

  function checkPartner(url: URL) {
    const pid = intParam(url.searchParams.get("partner_id"));
    if (pid === null) throw new ApiError("error_param", "partner_id is required.");
    if (pid !== partnerId) throw new ApiError("error_auth", "Invalid partner_id.");
  }

  /**
   * The base string uses the API path ("/api/v2/…"). Clients that sign the full request path
   * (mount prefix included) are accepted too: both are keyed with the partner key, and the sandbox
   * must work for any well-written client given its base URL.
   */
  function checkSign(url: URL, apiPath: string, extra: string) {
    const sign = url.searchParams.get("sign");
    if (!sign) throw new ApiError("error_param", "sign is required.");
    const ts = url.searchParams.get("timestamp") ?? "";
    const paths = apiPath === url.pathname ? [apiPath] : [apiPath, url.pathname];
    if (!paths.some((p) => equalHex(hmacHex(partnerKey, `${partnerId}${p}${ts}${extra}`), sign))) {
      throw new ApiError("error_sign", "Wrong sign.");
    }
  }

  function checkPublic(url: URL, apiPath: string) {
    checkPartner(url);
    checkTimestamp(url);
    checkSign(url, apiPath, "");
  }

  function checkShop(url: URL, apiPath: string): { shopId: number; token: TokenPayload } {
    checkPartner(url);
    checkTimestamp(url);
    const accessToken = url.searchParams.get("access_token");
    const shopId = intParam(url.searchParams.get("shop_id"));
    if (!accessToken) throw new ApiError("error_param", "access_token is required.");
    if (shopId === null) throw new ApiError("error_param", "shop_id is required.");
    checkSign(url, apiPath, `${accessToken}${shopId}`);
    const token = mint.read("access", accessToken);
    if (!token || token.p !== partnerId || token.s !== shopId || token.exp <= now() || deauthorized.has(shopId)) {
      throw new ApiError("invalid_acceess_token", "Invalid access_token.");
    }
    const state = accessState.get(shopId);
    if (state && token.n !== state.current && !(token.n === state.previous && now() < state.graceUntil)) {
      throw new ApiError("invalid_acceess_token", "Invalid access_token.");
    }
    return { shopId, token };
  }

  function limitRate() {
    if (rateLimit <= 0) return;
    const second = Math.floor(now() / 1000);
    if (rateWindow.second !== second) rateWindow = { second, count: 0 };
    rateWindow.count += 1;
    if (rateWindow.count > rateLimit) throw new ApiError("error_busy", "Too many requests. Please try again later.");
  }

  async function applyFaults(apiPath: string, signal: AbortSignal) {
    if (faults.path && !apiPath.startsWith(faults.path)) return;
    if (faults.delayMs && (faults.delayCount === undefined || faults.delayCount > 0)) {
      if (faults.delayCount !== undefined) faults.delayCount -= 1;
      await sleep(faults.delayMs, signal);
    }
    if (faults.rateLimit && faults.rateLimit > 0) {
      faults.rateLimit -= 1;
      throw new ApiError("error_busy", "Too many requests. Please try again later.");
    }
    if (faults.serverError && faults.serverError > 0) {
      faults.serverError -= 1;
      throw new ApiError("error_server", "Something wrong. Please try later.");
    }
  }

  function issueTokens(shopId: number, authorizedAt: number) {
    const t = now();
    const access = mint.issue("access", { s: shopId, p: partnerId, iat: t, exp: t + ACCESS_TTL_S * 1000, at: authorizedAt });
    const refresh = mint.issue("refresh", { s: shopId, p: partnerId, iat: t, exp: t + REFRESH_TTL_MS, at: authorizedAt });
    const previous = accessState.get(shopId)?.current ?? null;
    accessState.set(shopId, { current: access.payload.n, previous, graceUntil: t + ROTATION_GRACE_MS });
    deauthorized.delete(shopId);
    return { access_token: access.token, refresh_token: refresh.token, expire_in: ACCESS_TTL_S };
  }

  async function readJson(request: Request): Promise<Record<string, unknown>> {
    try {
      const body: unknown = await request.json();
      if (body && typeof body === "object" && !Array.isArray(body)) return body as Record<string, unknown>;
    } catch {
      // fall through
    }
    throw new ApiError("error_param", "Invalid request body: a JSON object is required.");
  }

  function requireItem(shopId: number, raw: unknown): { id: number; index: number; item: CatalogItem } {
    const id = typeof raw === "number" ? raw : intParam(typeof raw === "string" ? raw : null);
    if (id === null) throw new ApiError("error_param", "item_id is required.");
    const index = indexOf(shopId, id);
    if (index === null || statusOf(shopId, index) === "DELETED") throw new ApiError("error_item_not_found", "Item not found.");
    return { id, index, item: catalog.item(String(shopId), index) };
  }

  // ─── Endpoints ───
  function authPartnerPage(url: URL, prefix: string): Response {
    checkPartner(url);
    checkTimestamp(url); // the link is valid for 5 minutes
    checkSign(url, "/api/v2/shop/auth_partner", "");
    const redirect = url.searchParams.get("redirect");
    let target: URL;
    try {
      target = new URL(redirect ?? "");
      if (target.protocol !== "http:" && target.protocol !== "https:") throw new Error("scheme");
    } catch {
      throw new ApiError("error_param", "redirect is required and must be an http(s) URL.");
    }
    const t = now();
    const rows = shops
      .map((shop) => {
        const code = mint.issue("code", { s: shop.shopId, p: partnerId, iat: t, exp: t + CODE_TTL_MS, at: t }).token;
        const back = new URL(target);
        back.searchParams.set("code", code);
        back.searchParams.set("shop_id", String(shop.shopId));
        return `<li><a class="authorize" data-shop-id="${shop.shopId}" href="${escapeHtml(back.toString())}">Autorizar ${escapeHtml(shop.name)} (shop_id ${shop.shopId})</a></li>`;
      })
      .join("\n");
    const html = `<!doctype html>
<html lang="pt-BR"><head><meta charset="utf-8"><title>Autorizar Super Seller (sandbox)</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#222}
h1{color:#ee4d2d}li{margin:.75rem 0}a.authorize{display:inline-block;padding:.6rem 1rem;background:#ee4d2d;color:#fff;border-radius:.4rem;text-decoration:none}
.note{color:#666;font-size:.9rem}</style></head>
<body><h1>Autorizar Super Seller (sandbox)</h1>
<p>O aplicativo <strong>Super Seller</strong> (partner_id ${partnerId}) pede acesso à sua loja na Shopee:
produtos, preços, estoque e métricas. Escolha a loja que deseja conectar.</p>
<ul>${rows}</ul>
<p class="note">Este é o simulador da Shopee embutido no Super Seller (${escapeHtml(prefix || "/")}). Nenhuma loja real é acessada.
O código de autorização vale 10 minutos e pode ser usado uma única vez.</p>
</body></html>`;
    return new Response(html, { status: 200, headers: { "content-type": "text/html; charset=utf-8" } });
  }

  async function tokenGet(request: Request, url: URL) {
    checkPublic(url, "/api/v2/auth/token/get");
    const body = await readJson(request);
    const code = typeof body.code === "string" ? body.code : null;
    const shopId = typeof body.shop_id === "number" ? body.shop_id : intParam(String(body.shop_id ?? ""));
    if (!code) throw new ApiError("error_param", "code is required.");
    if (shopId === null) throw new ApiError("error_param", "shop_id or main_account_id is required.");
    if (Number(body.partner_id) !== partnerId) throw new ApiError("error_param", "partner_id in the body does not match.");
    const payload = mint.read("code", code);
    if (!payload || payload.p !== partnerId || payload.exp <= now() || usedCodes.has(payload.n)) {
      throw new ApiError("invalid_code", "The code is expired or used or invalid.");
    }
    if (payload.s !== shopId) throw new ApiError("invalid_shop_id", "The shop_id does not match the code.");
    usedCodes.add(payload.n);
    return issueTokens(shopId, now());
  }

  async function refreshToken(request: Request, url: URL) {
    checkPublic(url, "/api/v2/auth/access_token/get");
    const body = await readJson(request);
    const token = typeof body.refresh_token === "string" ? body.refresh_token : null;
    const shopId = typeof body.shop_id === "number" ? body.shop_id : intParam(String(body.shop_id ?? ""));
    if (!token) throw new ApiError("error_param", "refresh_token is required.");
    if (shopId === null) throw new ApiError("error_param", "shop_id is required.");
    if (Number(body.partner_id) !== partnerId) throw new ApiError("error_param", "partner_id in the body does not match.");
    const payload = mint.read("refresh", token);
    // Shopee does not tell a spent token from a wrong one: both are "Invalid refresh_token".
    if (!payload || payload.p !== partnerId || payload.s !== shopId || usedRefresh.has(payload.n)) {
      throw new ApiError("error_auth", "Invalid refresh_token.");
    }
    if (payload.exp <= now()) throw new ApiError("refresh_token_expired", "Your refresh_token expired.");
    if (deauthorized.has(shopId) || payload.at + AUTHORIZATION_TTL_MS <= now()) {
      throw new ApiError("shop_access_expired", "Your access to shop has expired.");
    }
    usedRefresh.add(payload.n);
    return { partner_id: partnerId, ...issueTokens(shopId, payload.at), shop_id: shopId };
  }

  function shopInfo(shopId: number, token: TokenPayload) {
    const shop = shops.find((s) => s.shopId === shopId);
    return {
      shop_name: shop?.name ?? `Loja ${shopId}`,
      region: "BR",
      status: "NORMAL",
      is_cb: false,
      is_sip: false,
      is_main_shop: false,
      auth_time: Math.floor(token.at / 1000),
      expire_time: Math.floor((token.at + AUTHORIZATION_TTL_MS) / 1000),
    };
  }

  function itemList(url: URL, shopId: number) {
    const offset = url.searchParams.has("offset") ? intParam(url.searchParams.get("offset")) : 0;
    const pageSize = intParam(url.searchParams.get("page_size"));
    const wanted = url.searchParams.getAll("item_status").flatMap((s) => s.split(","));
    if (offset === null || offset < 0) throw new ApiError("error_param", "offset should be a non-negative integer.");
    if (pageSize === null || pageSize < 1 || pageSize > MAX_PAGE) throw new ApiError("error_param", `page_size should be between 1 and ${MAX_PAGE}.`);
    if (wanted.length === 0 || wanted.some((s) => !STATUSES.includes(s as ShopeeStatus))) {
      throw new ApiError("error_param", "item_status is required: NORMAL, BANNED, DELETED or UNLIST.");
    }
    if (shopSlot(shopId) < 0) return { item: [], total_count: 0, has_next_page: false, next_offset: 0 };
    const matching: number[] = [];
    for (let i = 0; i < catalog.size; i++) if (wanted.includes(statusOf(shopId, i))) matching.push(i);
    const page = matching.slice(offset, offset + pageSize);
    return {
      item: page.map((index) => {
        const id = itemId(shopId, index);
        return { item_id: id, item_status: statusOf(shopId, index), update_time: updateTimeOf(id, catalog.item(String(shopId), index)) };
      }),
      total_count: matching.length,
      has_next_page: offset + page.length < matching.length,
      next_offset: offset + page.length,
    };
  }

  function batchIds(url: URL): number[] {
    const ids = idList(url, "item_id_list");
    if (!ids) throw new ApiError("error_param", "item_id_list is required.");
    if (ids.length > MAX_BATCH) throw new ApiError("error_param", `item_id_list should contain at most ${MAX_BATCH} items.`);
    return ids;
  }

  function baseInfo(url: URL, shopId: number, origin: string) {
    const ids = batchIds(url);
    const missing: number[] = [];
    const list = [];
    for (const id of ids) {
      const index = indexOf(shopId, id);
      if (index === null) {
        missing.push(id);
        continue;
      }
      const item = catalog.item(String(shopId), index);
      const o = overlays.get(id);
      const ms = models(shopId, index, item);
      const stock = ms.reduce((sum, m) => sum + m.stock, 0);
      const price = ms[0]!.priceCents / 100;
      list.push({
        item_id: id,
        category_id: 100_000 + Number(item.category.id.replace(/\D/g, "")),
        item_name: o?.name ?? item.title,
        description: o?.description ?? item.description,
        item_sku: item.sku,
        create_time: Math.floor(Date.parse(`${item.createdDay}T12:00:00Z`) / 1000),
        update_time: updateTimeOf(id, item),
        attribute_list: shopeeAttributes(item).map((a) => ({
          attribute_id: a.attributeId,
          original_attribute_name: a.name,
          is_mandatory: a.id === "BRAND",
          attribute_value_list: [{ value_id: 0, original_value_name: o?.attributes?.get(a.attributeId) ?? a.value, value_unit: "" }],
        })),
        // Items with variations carry no price_info: prices live on the models (get_model_list).
        ...(item.hasVariations ? {} : { price_info: [{ currency: "BRL", original_price: price, current_price: price }] }),
        stock_info_v2: {
          summary_info: { total_reserved_stock: 0, total_available_stock: stock },
          ...(item.hasVariations ? {} : { seller_stock: [{ location_id: "BRZ", stock }] }),
        },
        image: {
          image_url_list: imageUrls(origin, id, item.pictureCount),
          image_id_list: Array.from({ length: item.pictureCount }, (_, k) => `sbx${id}i${k + 1}`),
        },
        weight: (item.weightGrams / 1000).toFixed(2),
        dimension: { package_length: 20, package_width: 15, package_height: 10 },
        logistic_info: [{ logistic_id: 90_001, logistic_name: "Shopee Xpress", enabled: true, is_free: item.freeShipping }],
        pre_order: { is_pre_order: false, days_to_ship: 2 },
        condition: "NEW",
        item_status: statusOf(shopId, index),
        has_model: item.hasVariations,
        brand: { brand_id: 0, original_brand_name: item.brand },
        // Shopee Brasil: "00" means the seller declared the item has no GTIN.
        gtin_code: o?.gtin ?? item.gtin ?? "00",
        // Shopee lowered the item in search (its violation push carries the same flag).
        deboost: item.flags.includes("deboost"),
      });
    }
    return { list, missing };
  }

  function modelList(url: URL, shopId: number) {
    const { index, item } = requireItem(shopId, url.searchParams.get("item_id"));
    if (!item.hasVariations) return { tier_variation: [], model: [] };
    const ms = models(shopId, index, item);
    return {
      tier_variation: [{ name: "Variação", option_list: ms.map((m) => ({ option: m.option })) }],
      model: ms.map((m, k) => ({
        model_id: m.modelId,
        tier_index: [k],
        model_sku: `${item.sku}-${k + 1}`,
        price_info: [{ currency: "BRL", original_price: m.priceCents / 100, current_price: m.priceCents / 100 }],
        stock_info_v2: { summary_info: { total_reserved_stock: 0, total_available_stock: m.stock }, seller_stock: [{ location_id: "BRZ", stock: m.stock }] },
      })),
    };
  }

  function extraInfo(url: URL, shopId: number) {
    const ids = batchIds(url);
    const list = [];
    for (const id of ids) {
      const index = indexOf(shopId, id);
      if (index === null) continue;
      const item = catalog.item(String(shopId), index);
      list.push({
        item_id: id,
        sale: item.soldQuantity,
        views: lifetimeViews(shopId, index, item),
        likes: Math.round(item.baseDailyVisits * 3),
        rating_star: item.soldQuantity > 0 ? 4 + ((index % 10) / 10) : 0,
        comment_count: Math.floor(item.soldQuantity / 5),
      });
    }
    return { item_list: list };
  }

  async function updatePrice(request: Request, shopId: number) {
    const body = await readJson(request);
    const { id, index, item } = requireItem(shopId, body.item_id);
    const list = Array.isArray(body.price_list) ? (body.price_list as Record<string, unknown>[]) : null;
    if (!list || list.length === 0) throw new ApiError("error_param", "price_list is required.");
    if (list.length > MAX_BATCH) throw new ApiError("error_param", `price_list should contain at most ${MAX_BATCH} models.`);
    const ms = new Map(models(shopId, index, item).map((m) => [m.modelId, m]));
    const o = overlay(id);
    const failure_list: { model_id: unknown; failed_reason: string }[] = [];
    const success_list: { model_id: number; original_price: number }[] = [];
    const changes: { model_id: number; old_price: number; new_price: number }[] = [];
    for (const entry of list) {
      const modelId = typeof entry.model_id === "number" ? entry.model_id : 0;
      const price = entry.original_price;
      const model = ms.get(modelId);
      if (!model) failure_list.push({ model_id: entry.model_id ?? 0, failed_reason: "Model not found." });
      else if (statusOf(shopId, index) === "BANNED") failure_list.push({ model_id: modelId, failed_reason: "The item is banned and cannot be edited." });
      else if (o.promotion.has(modelId)) failure_list.push({ model_id: modelId, failed_reason: "The model is in an ongoing promotion; its price cannot be updated." });
      else if (typeof price !== "number" || !Number.isFinite(price) || price <= 0 || price > 1_000_000) {
        failure_list.push({ model_id: modelId, failed_reason: "Invalid price: original_price should be between 0.01 and 1000000." });
      } else {
        const cents = Math.round(price * 100);
        changes.push({ model_id: modelId, old_price: model.priceCents / 100, new_price: cents / 100 });
        o.prices.set(modelId, cents);
        success_list.push({ model_id: modelId, original_price: cents / 100 });
      }
    }
    if (success_list.length > 0) {
      o.updateTime = Math.floor(now() / 1000);
      recordWrite(id, "update_price");
      // Sandbox rule: the body of item_price_update_push (code 22) is modelled, not documented.
      void sendPush(shopId, 22, {
        item_id: id,
        price_info: changes.map((c) => ({ ...c, currency: "BRL" })),
        update_time: o.updateTime,
      });
    }
    return { failure_list, success_list };
  }

  async function updateStock(request: Request, shopId: number) {
    const body = await readJson(request);
    const { id, index, item } = requireItem(shopId, body.item_id);
    const list = Array.isArray(body.stock_list) ? (body.stock_list as Record<string, unknown>[]) : null;
    if (!list || list.length === 0) throw new ApiError("error_param", "stock_list is required.");
    if (list.length > MAX_BATCH) throw new ApiError("error_param", `stock_list should contain at most ${MAX_BATCH} models.`);
    const ms = new Map(models(shopId, index, item).map((m) => [m.modelId, m]));
    const o = overlay(id);
    const failure_list: { model_id: unknown; failed_reason: string }[] = [];
    const success_list: { model_id: number; location_id: string; stock: number }[] = [];
    for (const entry of list) {
      const modelId = typeof entry.model_id === "number" ? entry.model_id : 0;
      const seller = Array.isArray(entry.seller_stock) ? (entry.seller_stock as { stock?: unknown }[]) : [];
      const stock = seller[0]?.stock;
      if (!ms.has(modelId)) failure_list.push({ model_id: entry.model_id ?? 0, failed_reason: "Model not found." });
      else if (typeof stock !== "number" || !Number.isInteger(stock) || stock < 0 || stock > 999_999) {
        failure_list.push({ model_id: modelId, failed_reason: "Invalid stock: should be an integer between 0 and 999999." });
      } else {
        o.stocks.set(modelId, stock);
        success_list.push({ model_id: modelId, location_id: "BRZ", stock });
      }
    }
    if (success_list.length > 0) {
      o.updateTime = Math.floor(now() / 1000);
      recordWrite(id, "update_stock");
    }
    return { failure_list, success_list };
  }

  /** The catalog item's attributes as Shopee lists them (GTIN is a field of its own), with ids. */
  function shopeeAttributes(item: CatalogItem) {
    return item.attributes.filter((a) => a.id !== "GTIN" && a.value).map((a, k) => ({ ...a, attributeId: ATTRIBUTE_ID_BASE + k }));
  }

  function recordWrite(id: number, path: string) {
    const log = writes.get(id) ?? [];
    log.push({ at: now(), path });
    writes.set(id, log);
  }

  async function updateItem(request: Request, shopId: number) {
    const body = await readJson(request);
    const { id, index, item } = requireItem(shopId, body.item_id);
    if (statusOf(shopId, index) === "BANNED") throw new ApiError("error_param", "The item is banned and cannot be edited.");
    // Validate everything first: a refused request changes nothing.
    let name: string | undefined;
    if (body.item_name !== undefined) {
      name = typeof body.item_name === "string" ? body.item_name.trim() : "";
      // Sandbox rule: Shopee Brasil's title limits as shown in Seller Centre (10–120 characters).
      if (name.length < 10 || name.length > 120) throw new ApiError("error_param", "item_name should be between 10 and 120 characters.");
    }
    let description: string | undefined;
    if (body.description !== undefined) {
      description = typeof body.description === "string" ? body.description.trim() : "";
      if (description.length === 0 || description.length > DESCRIPTION_MAX) {
        throw new ApiError("error_param", `description should be between 1 and ${DESCRIPTION_MAX} characters.`);
      }
    }
    const attributeChanges = new Map<number, string>();
    if (body.attribute_list !== undefined) {
      const list = Array.isArray(body.attribute_list) ? (body.attribute_list as Record<string, unknown>[]) : null;
      if (!list || list.length === 0) throw new ApiError("error_param", "attribute_list should be a non-empty list.");
      const known = new Set(shopeeAttributes(item).map((a) => a.attributeId));
      for (const entry of list) {
        const attributeId = entry?.attribute_id;
        const values = Array.isArray(entry?.attribute_value_list) ? (entry.attribute_value_list as Record<string, unknown>[]) : [];
        const value = values[0]?.original_value_name;
        if (typeof attributeId !== "number" || !known.has(attributeId)) {
          throw new ApiError("error_param", `attribute_id ${String(attributeId)} is not an attribute of this item's category.`);
        }
        if (typeof value !== "string" || value.trim().length === 0 || value.length > 255) {
          throw new ApiError("error_param", `attribute_id ${attributeId} needs an original_value_name of 1 to 255 characters.`);
        }
        attributeChanges.set(attributeId, value.trim());
      }
    }
    let gtin: string | undefined;
    if (body.gtin_code !== undefined) {
      gtin = typeof body.gtin_code === "string" ? body.gtin_code : "";
      if (gtin !== "00" && !/^(\d{8}|\d{12,14})$/.test(gtin)) throw new ApiError("error_param", "gtin_code should be a GTIN of 8, 12, 13 or 14 digits, or 00.");
    }
    const o = overlay(id);
    if (name !== undefined) o.name = name;
    if (description !== undefined) o.description = description;
    if (attributeChanges.size > 0) o.attributes = new Map([...(o.attributes ?? []), ...attributeChanges]);
    if (gtin !== undefined) o.gtin = gtin;
    o.updateTime = Math.floor(now() / 1000);
    recordWrite(id, "update_item");
    return { item_id: id, item_name: o.name ?? item.title };
  }

  async function unlistItem(request: Request, shopId: number) {
    const body = await readJson(request);
    const list = Array.isArray(body.item_list) ? (body.item_list as Record<string, unknown>[]) : null;
    if (!list || list.length === 0) throw new ApiError("error_param", "item_list is required.");
    if (list.length > MAX_BATCH) throw new ApiError("error_param", `item_list should contain at most ${MAX_BATCH} items.`);
    const failure_list: { item_id: unknown; failed_reason: string }[] = [];
    const success_list: { item_id: number; unlist: boolean }[] = [];
    for (const entry of list) {
      const id = typeof entry.item_id === "number" ? entry.item_id : null;
      const index = id === null ? null : indexOf(shopId, id);
      const status = index === null ? null : statusOf(shopId, index);
      if (id === null || index === null || status === "DELETED") failure_list.push({ item_id: entry.item_id, failed_reason: "Item not found." });
      else if (status === "BANNED") failure_list.push({ item_id: id, failed_reason: "The item is banned and cannot be listed or unlisted." });
      else {
        const o = overlay(id);
        o.status = entry.unlist === true ? "UNLIST" : "NORMAL";
        o.updateTime = Math.floor(now() / 1000);
        recordWrite(id, "unlist_item");
        success_list.push({ item_id: id, unlist: entry.unlist === true });
      }
    }
    return { failure_list, success_list };
  }

  // ─── Control endpoints (tests and demos) ───
  async function control(request: Request, path: string, origin: string): Promise<Response> {
    const method = request.method.toUpperCase();
    const body = method === "POST" ? await request.json().catch(() => ({})) : {};
    const input = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
    const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

    const image = path.match(/^\/_sandbox\/images\/(\d+)\/(\d+)\.svg$/);
    if (image && method === "GET") {
      const hue = Number(image[1]) % 360;
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400"><rect width="400" height="400" fill="hsl(${hue},55%,88%)"/><text x="200" y="190" font-family="sans-serif" font-size="28" text-anchor="middle" fill="hsl(${hue},45%,30%)">Shopee sandbox</text><text x="200" y="230" font-family="sans-serif" font-size="22" text-anchor="middle" fill="hsl(${hue},45%,30%)">item ${image[1]} · foto ${image[2]}</text></svg>`;
      return new Response(svg, { headers: { "content-type": "image/svg+xml", "cache-control": "public, max-age=86400" } });
    }
    if ((path === "/_sandbox" || path === "/_sandbox/state") && method === "GET") {
      return json({ partner_id: partnerId, shops, catalog_size: catalog.size, now: now(), faults, push_url: options.pushUrl ?? null, pushes: pushes.length });
    }
    if (path === "/_sandbox/faults" && method === "POST") {
      sandbox.injectFaults({
        rateLimit: num(input.rateLimit),
        serverError: num(input.serverError),
        delayMs: num(input.delayMs),
        delayCount: num(input.delayCount),
        path: typeof input.path === "string" ? input.path : undefined,
      });
      return json({ faults });
    }
    if (path === "/_sandbox/faults" && method === "DELETE") {
      sandbox.clearFaults();
      return json({ faults });
    }
    if (path === "/_sandbox/clock" && method === "POST") {
      sandbox.advanceClock(num(input.advanceSeconds) ?? 0);
      return json({ now: now() });
    }
    if (path === "/_sandbox/reset" && method === "POST") {
      sandbox.reset();
      return json({ ok: true });
    }
    if (path === "/_sandbox/pushes" && method === "GET") return json({ pushes });
    if (path === "/_sandbox/push" && method === "POST") {
      const shopId = num(input.shop_id);
      const code = num(input.code);
      if (shopId === undefined || code === undefined) return json({ error: "error_param", message: "shop_id and code are required." }, 400);
      const data = input.data && typeof input.data === "object" ? (input.data as Record<string, unknown>) : {};
      const record = await sendPush(shopId, code, data);
      return json({ push: record });
    }
    const writesPath = path.match(/^\/_sandbox\/items\/(\d+)\/writes$/);
    if (writesPath && method === "GET") {
      // Accepted writes (update_item/price/stock, unlist_item), so tests prove an update landed once.
      const log = writes.get(Number(writesPath[1])) ?? [];
      return json({ item_id: Number(writesPath[1]), writes: log.length, log });
    }
    const itemAction = path.match(/^\/_sandbox\/shops\/(\d+)\/items\/(\d+)\/(promotion|ban)$/);
    if (itemAction && method === "POST") {
      const shopId = Number(itemAction[1]);
      const id = Number(itemAction[2]);
      const index = indexOf(shopId, id);
      if (index === null) return json({ error: "error_item_not_found", message: "Item not found." }, 404);
      const o = overlay(id);
      if (itemAction[3] === "promotion") {
        const ms = models(shopId, index, catalog.item(String(shopId), index));
        const modelId = num(input.model_id) ?? ms[ms.length - 1]!.modelId;
        if (input.on === false) o.promotion.delete(modelId);
        else o.promotion.add(modelId);
        return json({ item_id: id, promotion_model_ids: [...o.promotion] });
      }
      o.status = "BANNED";
      o.updateTime = Math.floor(now() / 1000);
      const record = await sendPush(shopId, 16, {
        item_id: id,
        item_name: o.name ?? catalog.item(String(shopId), index).title,
        item_status: "BANNED",
        violation_type: "Prohibited Listing",
        violation_reason: "Anúncio suspenso no sandbox para demonstração.",
        suggestion: "Corrija o anúncio e publique novamente.",
        update_time: o.updateTime,
      });
      return json({ item_id: id, item_status: "BANNED", push: record });
    }
    const deauth = path.match(/^\/_sandbox\/shops\/(\d+)\/deauthorize$/);
    if (deauth && method === "POST") {
      const shopId = Number(deauth[1]);
      deauthorized.add(shopId);
      const record = await sendPush(shopId, 2, { shop_id: shopId, success: 1, extra: `shop_id ${shopId} authorization canceled` });
      return json({ shop_id: shopId, push: record });
    }
    void origin;
    return json({ error: "error_not_found", message: "Unknown sandbox control endpoint." }, 404);
  }

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const apiAt = url.pathname.indexOf("/api/v2/");
    const controlAt = url.pathname.indexOf("/_sandbox");
    const at = apiAt >= 0 ? apiAt : controlAt;
    const prefix = at >= 0 ? url.pathname.slice(0, at) : "";
    const origin = options.publicUrl?.replace(/\/$/, "") ?? url.origin + prefix;
    if (apiAt < 0 && controlAt >= 0) return control(request, url.pathname.slice(controlAt), origin);
    const apiPath = apiAt >= 0 ? url.pathname.slice(apiAt) : url.pathname;
    const method = request.method.toUpperCase();
    try {
      await applyFaults(apiPath, request.signal);
      limitRate();
      const route = `${method} ${apiPath}`;
      if (route === "GET /api/v2/shop/auth_partner") return authPartnerPage(url, prefix || SHOPEE_SANDBOX_MOUNT);
      if (route === "POST /api/v2/auth/token/get") return ok(await tokenGet(request, url), false);
      if (route === "POST /api/v2/auth/access_token/get") return ok(await refreshToken(request, url), false);
      const known = new Set([
        "GET /api/v2/shop/get_shop_info",
        "GET /api/v2/product/get_item_list",
        "GET /api/v2/product/get_item_base_info",
        "GET /api/v2/product/get_model_list",
        "GET /api/v2/product/get_item_extra_info",
        "POST /api/v2/product/update_price",
        "POST /api/v2/product/update_stock",
        "POST /api/v2/product/update_item",
        "POST /api/v2/product/unlist_item",
        "GET /api/v2/order/get_order_list",
        "GET /api/v2/order/get_order_detail",
      ]);
      if (!known.has(route)) throw new ApiError("error_not_found", `Api ${apiPath} not found.`);
      const { shopId, token } = checkShop(url, apiPath);
      switch (route) {
        case "GET /api/v2/shop/get_shop_info":
          return ok(shopInfo(shopId, token), false); // get_shop_info answers at the top level
        case "GET /api/v2/product/get_item_list":
          return ok(itemList(url, shopId));
        case "GET /api/v2/product/get_item_base_info": {
          const { list, missing } = baseInfo(url, shopId, origin);
          return ok({ item_list: list }, true, missing.length ? `item_id not found: ${missing.join(",")}` : undefined);
        }
        case "GET /api/v2/product/get_model_list":
          return ok(modelList(url, shopId));
        case "GET /api/v2/product/get_item_extra_info":
          return ok(extraInfo(url, shopId));
        case "GET /api/v2/order/get_order_list":
        case "GET /api/v2/order/get_order_detail": {
          const answer = route.endsWith("list") ? orders.list(url, shopId) : orders.detail(url, shopId);
          if ("error" in answer && typeof answer.error === "string") throw new ApiError(answer.error, String(answer.message));
          return ok(answer);
        }
        case "POST /api/v2/product/update_price":
          return ok(await updatePrice(request, shopId));
        case "POST /api/v2/product/update_stock":
          return ok(await updateStock(request, shopId));
        case "POST /api/v2/product/update_item":
          return ok(await updateItem(request, shopId));
        default:
          return ok(await unlistItem(request, shopId));
      }
    } catch (error) {
      if (error instanceof ApiError) {
        return json({ request_id: requestId(), error: error.code, message: error.message }, HTTP_STATUS[error.code] ?? 400);
      }
      return json({ request_id: requestId(), error: "error_server", message: "Something wrong. Please try later." }, 500);
    }
  }

  function ok(payload: Record<string, unknown>, wrapped = true, warning?: string): Response {
    const envelope = { request_id: requestId(), error: "", message: "", ...(warning ? { warning } : {}) };
    return json(wrapped ? { ...envelope, response: payload } : { ...payload, ...envelope });
  }

  const sandbox: ShopeeSandbox = {
    partnerId,
    partnerKey,
    shops,
    catalog,
    handler: handle,
    injectFaults(next: ShopeeFaults) {
      faults = Object.fromEntries(Object.entries({ ...faults, ...next }).filter(([, v]) => v !== undefined)) as ShopeeFaults;
    },
    clearFaults() {
      faults = {};
    },
    advanceClock(seconds: number) {
      clockOffsetMs += seconds * 1000;
    },
    now,
    pushes,
    async flushPushes() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    sendPush,
    itemId,
    writesOf(id: number | string) {
      return writes.get(Number(id))?.length ?? 0;
    },
    reset() {
      writes = new Map();
      usedCodes = new Set();
      usedRefresh = new Set();
      accessState = new Map();
      deauthorized = new Set();
      overlays = new Map();
      statusCache = new Map();
      faults = {};
      rateWindow = { second: 0, count: 0 };
      clockOffsetMs = 0;
      pushes.length = 0;
    },
  };
  return sandbox;
}
