import {
  ConnectorError,
  type AuthorizationRequest,
  type CodeExchange,
  type DailySales,
  type DailyVisits,
  type InboundWebhook,
  type ItemPage,
  type ItemUpdate,
  type ListingStatus,
  type MarketplaceConnector,
  type MarketplaceCredentials,
  type MarketplaceItem,
  type MarketplaceNotification,
  type PriceReference,
  type QualityReport,
  type TokenSet,
} from "../types";
import { parseShopeePush, verifyShopeePush } from "./notifications";
import { publicSign, shopSign } from "./signing";

/**
 * Shopee Open Platform v2 client. It speaks Shopee's real protocol, so the same code talks to
 * partner.shopeemobile.com, to the built-in sandbox (src/server/connectors/sandbox/shopee) or to any
 * double given its base URL. It never logs: URLs carry access_token and sign, bodies carry tokens,
 * so error messages name the API path only.
 */
export type ShopeeConnectorConfig = {
  /** Host (plus mount path for the sandbox), without the "/api/v2/…" part. */
  apiUrl: string;
  partnerId: number;
  partnerKey: string;
  isSandbox: boolean;
  fetch?: typeof fetch;
  /** Per request; a timeout is a transient error. */
  timeoutMs?: number;
  /** Injectable clock (ms) so signatures and expiries are testable. */
  now?: () => number;
};

export const SHOPEE_PAGE_SIZE = 100; // get_item_list page_size ≤ 100
export const SHOPEE_BATCH_SIZE = 50; // get_item_base_info / get_item_extra_info ≤ 50 ids
const ACCESS_TOKEN_FALLBACK_SECONDS = 4 * 3600;
// Shopee documents 30 days for the refresh token but returns no field for it.
const REFRESH_TOKEN_TTL_MS = 30 * 24 * 3600 * 1000;
const DEFAULT_RETRY_AFTER_MS = 1000;

const PATHS = {
  authPartner: "/api/v2/shop/auth_partner",
  tokenGet: "/api/v2/auth/token/get",
  refresh: "/api/v2/auth/access_token/get",
  shopInfo: "/api/v2/shop/get_shop_info",
  itemList: "/api/v2/product/get_item_list",
  baseInfo: "/api/v2/product/get_item_base_info",
  modelList: "/api/v2/product/get_model_list",
  extraInfo: "/api/v2/product/get_item_extra_info",
  updatePrice: "/api/v2/product/update_price",
  updateStock: "/api/v2/product/update_stock",
  updateItem: "/api/v2/product/update_item",
  unlistItem: "/api/v2/product/unlist_item",
  orderList: "/api/v2/order/get_order_list",
  orderDetail: "/api/v2/order/get_order_detail",
} as const;

/** get_order_list: create_time windows of at most 15 days, pages of up to 100 (cursor paging). */
const ORDER_WINDOW_S = 15 * 86_400;
/** Orders not (or no longer) paid: they are not sales. */
const UNSOLD_ORDER_STATUSES = new Set(["UNPAID", "CANCELLED", "IN_CANCEL"]);

/** Every Shopee answer carries these; the payload is under `response` except for auth/shop-info. */
type Envelope = { request_id?: string; error?: string; message?: string; warning?: string };
type TokenResponse = Envelope & { access_token?: string; refresh_token?: string; expire_in?: number; shop_id?: number };
type ShopInfoResponse = Envelope & { shop_name?: string; region?: string; status?: string };
type ItemListResponse = Envelope & {
  response?: { item?: { item_id: number; item_status: string }[]; total_count?: number; has_next_page?: boolean; next_offset?: number };
};
type PriceInfo = { currency?: string; original_price?: number; current_price?: number };
type BaseInfoItem = {
  item_id: number;
  category_id?: number;
  item_name?: string;
  description?: string;
  item_status?: string;
  has_model?: boolean;
  price_info?: PriceInfo[];
  stock_info_v2?: { summary_info?: { total_available_stock?: number }; seller_stock?: { stock?: number }[] };
  image?: { image_url_list?: string[] };
  attribute_list?: { attribute_id: number; original_attribute_name?: string; attribute_value_list?: { original_value_name?: string }[] }[];
  logistic_info?: { enabled?: boolean; is_free?: boolean }[];
  gtin_code?: string;
  item_sku?: string;
  condition?: string;
  /** Shopee lowered the item in search; documented as a boolean, seen as "true"/"false" too. */
  deboost?: boolean | string;
};
type BaseInfoResponse = Envelope & { response?: { item_list?: BaseInfoItem[] } };
type Model = { model_id: number; price_info?: PriceInfo[]; stock_info_v2?: { summary_info?: { total_available_stock?: number } } };
type ModelListResponse = Envelope & { response?: { model?: Model[] } };
type ExtraInfoResponse = Envelope & { response?: { item_list?: { item_id: number; sale?: number; views?: number }[] } };
type OrderListResponse = Envelope & { response?: { more?: boolean; next_cursor?: string; order_list?: { order_sn: string; order_status?: string }[] } };
type OrderDetailResponse = Envelope & {
  response?: { order_list?: { order_sn: string; order_status?: string; create_time?: number; item_list?: { item_id: number; model_quantity_purchased?: number }[] }[] };
};
type BatchResult = Envelope & {
  response?: { failure_list?: { model_id?: number; item_id?: number; failed_reason?: string }[]; success_list?: unknown[] };
};

/** Error codes that mean "the seller's code/refresh token is spent or the authorization lapsed". */
const INVALID_GRANT_ERRORS = new Set([
  "invalid_code",
  "error_auth",
  "error_shop_refresh_token",
  "refresh_token_expired",
  "shop_access_expired",
  "shop_no_linked",
  "shop_banned",
  "invalid_shop_id",
]);
// "invalid_acceess_token" is Shopee's own (misspelt) code for an expired/invalid access token.
const UNAUTHORIZED_ERRORS = new Set(["invalid_acceess_token", "invalid_access_token", "error_access_token"]);
const RATE_LIMIT_ERRORS = new Set(["error_busy", "error_too_many_request", "error_rate_limit", "error_limit"]);
const TRANSIENT_ERRORS = new Set(["error_server", "error_network", "error_inner", "error_system_busy"]);
const NOT_FOUND_ERRORS = new Set(["error_not_found", "error_item_not_found", "product.error_item_not_found"]);

export const SHOPEE_STATUS_MAP: Record<string, ListingStatus> = {
  NORMAL: "ACTIVE",
  UNLIST: "PAUSED",
  // Shopee took the listing down (violation): the seller must fix it — closest to "under review".
  BANNED: "UNDER_REVIEW",
  REVIEWING: "UNDER_REVIEW",
  DELETED: "CLOSED",
  SELLER_DELETE: "CLOSED",
  SHOPEE_DELETE: "CLOSED",
};

function toCents(value: number | undefined): number {
  return typeof value === "number" && Number.isFinite(value) ? Math.round(value * 100) : 0;
}

function chunk<T>(values: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

function parseRetryAfter(header: string | null): number {
  if (!header) return DEFAULT_RETRY_AFTER_MS;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : DEFAULT_RETRY_AFTER_MS;
}

function shopIdOf(credentials: { externalAccountId: string }): number {
  const id = Number(credentials.externalAccountId);
  if (!Number.isSafeInteger(id) || id <= 0) throw new ConnectorError("refused", "Shopee shop_id must be a positive integer");
  return id;
}

function itemIdOf(externalId: string): number {
  const id = Number(externalId);
  if (!Number.isSafeInteger(id) || id <= 0) throw new ConnectorError("not_found", `Shopee item id ${externalId} is not valid`);
  return id;
}

/**
 * Shopee's signals in our vocabulary (MarketplaceItem.tags): BANNED (taken down for a violation) →
 * "moderation_penalty"; REVIEWING → "under_review"; `deboost` → "deboost". Shopee gives partners
 * no per-item picture-quality flag, so "poor_quality_picture" never comes from Shopee.
 */
function shopeeTags(item: BaseInfoItem): string[] {
  const tags: string[] = [];
  if (item.item_status === "BANNED") tags.push("moderation_penalty");
  if (item.item_status === "REVIEWING") tags.push("under_review");
  if (item.deboost === true || item.deboost === "true") tags.push("deboost");
  return tags;
}

export function createShopeeConnector(config: ShopeeConnectorConfig): MarketplaceConnector {
  const doFetch = config.fetch ?? fetch;
  const timeoutMs = config.timeoutMs ?? 15_000;
  const now = config.now ?? Date.now;
  const base = config.apiUrl.replace(/\/+$/, "");
  const partnerId = config.partnerId;

  type Call = {
    method: "GET" | "POST";
    path: string;
    query?: Record<string, string | number | (string | number)[]>;
    body?: unknown;
    shop?: { accessToken: string; shopId: number };
    /** Token endpoints: a refused grant is "invalid_grant", not "unauthorized". */
    grant?: boolean;
  };

  async function call<T extends Envelope>(request: Call): Promise<T> {
    const timestamp = Math.floor(now() / 1000);
    const url = new URL(base + request.path);
    url.searchParams.set("partner_id", String(partnerId));
    url.searchParams.set("timestamp", String(timestamp));
    if (request.shop) {
      url.searchParams.set("access_token", request.shop.accessToken);
      url.searchParams.set("shop_id", String(request.shop.shopId));
      url.searchParams.set(
        "sign",
        shopSign(config.partnerKey, partnerId, request.path, timestamp, request.shop.accessToken, request.shop.shopId),
      );
    } else {
      url.searchParams.set("sign", publicSign(config.partnerKey, partnerId, request.path, timestamp));
    }
    for (const [key, value] of Object.entries(request.query ?? {})) {
      // Shopee reads list parameters (item_status) as repeated keys.
      for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(v));
    }

    let response: Response;
    try {
      response = await doFetch(url, {
        method: request.method,
        headers: request.body === undefined ? undefined : { "content-type": "application/json" },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: "manual",
      });
    } catch (cause) {
      const timedOut = cause instanceof Error && (cause.name === "TimeoutError" || cause.name === "AbortError");
      throw new ConnectorError(
        "transient",
        timedOut ? `Shopee ${request.path} timed out after ${timeoutMs} ms` : `Shopee ${request.path} unreachable`,
        // The code names the kind of outage for the circuit breaker (as the other connectors do).
        { code: timedOut ? "timeout" : "network", cause: timedOut ? undefined : cause },
      );
    }

    let payload: T | null = null;
    try {
      const text = await response.text();
      payload = text ? (JSON.parse(text) as T) : null;
    } catch (cause) {
      if (response.ok) throw new ConnectorError("transient", `Shopee ${request.path} answered with invalid JSON`, { status: response.status, cause });
    }
    const code = payload?.error ?? "";
    if (response.ok && payload && !code) return payload;

    // Shopee's `message` describes the request, never echoes credentials, so it is safe to keep.
    const detail = payload?.message ? `: ${payload.message}` : "";
    const what = `Shopee ${request.path} failed (${code || `HTTP ${response.status}`})${detail}`;
    const details = { status: response.status, code: code || undefined };
    if (response.status === 429 || RATE_LIMIT_ERRORS.has(code)) {
      throw new ConnectorError("rate_limited", what, { ...details, retryAfterMs: parseRetryAfter(response.headers.get("retry-after")) });
    }
    if (response.status >= 500 || TRANSIENT_ERRORS.has(code)) throw new ConnectorError("transient", what, details);
    if (request.grant && INVALID_GRANT_ERRORS.has(code)) throw new ConnectorError("invalid_grant", what, details);
    if (UNAUTHORIZED_ERRORS.has(code) || (code === "error_auth" && request.shop)) throw new ConnectorError("unauthorized", what, details);
    if (response.status === 404 || NOT_FOUND_ERRORS.has(code)) throw new ConnectorError("not_found", what, details);
    // error_sign (wrong partner key or clock skew), error_param, error_permission, business refusals.
    throw new ConnectorError("refused", what, details);
  }

  function shop(credentials: MarketplaceCredentials) {
    return { accessToken: credentials.accessToken, shopId: shopIdOf(credentials) };
  }

  function tokenSet(response: TokenResponse, shopId: number, accountName?: string): TokenSet {
    if (!response.access_token) throw new ConnectorError("transient", "Shopee token answer carried no access_token");
    const issuedAt = now();
    const expireIn = typeof response.expire_in === "number" && response.expire_in > 0 ? response.expire_in : ACCESS_TOKEN_FALLBACK_SECONDS;
    // The docs contradict themselves: `expire_in` is a duration in the guides and an absolute Unix
    // time in one API sample. A value past 10^9 can only be the latter.
    const expiresAt = expireIn > 1e9 ? new Date(expireIn * 1000) : new Date(issuedAt + expireIn * 1000);
    return {
      accessToken: response.access_token,
      refreshToken: response.refresh_token || null,
      expiresAt,
      refreshExpiresAt: response.refresh_token ? new Date(issuedAt + REFRESH_TOKEN_TTL_MS) : null,
      scopes: [], // Shopee has no scopes: permissions come from the app category.
      externalAccountId: String(shopId),
      ...(accountName ? { accountName } : {}),
    };
  }

  async function shopName(accessToken: string, shopId: number): Promise<string | undefined> {
    try {
      const info = await call<ShopInfoResponse>({ method: "GET", path: PATHS.shopInfo, shop: { accessToken, shopId } });
      return info.shop_name || undefined;
    } catch {
      // The name is cosmetic; a failed lookup must not lose a freshly exchanged (single-use) code.
      return undefined;
    }
  }

  async function baseInfo(credentials: MarketplaceCredentials, ids: number[]): Promise<BaseInfoItem[]> {
    const out: BaseInfoItem[] = [];
    for (const batch of chunk(ids, SHOPEE_BATCH_SIZE)) {
      const res = await call<BaseInfoResponse>({
        method: "GET",
        path: PATHS.baseInfo,
        query: { item_id_list: batch.join(",") },
        shop: shop(credentials),
      });
      out.push(...(res.response?.item_list ?? []));
    }
    return out;
  }

  async function models(credentials: MarketplaceCredentials, itemId: number): Promise<Model[]> {
    const res = await call<ModelListResponse>({ method: "GET", path: PATHS.modelList, query: { item_id: itemId }, shop: shop(credentials) });
    return res.response?.model ?? [];
  }

  function refuseFailures(what: string, res: BatchResult) {
    const failures = res.response?.failure_list ?? [];
    if (failures.length === 0) return;
    const reasons = failures
      .map((f) => `${f.model_id !== undefined ? `model ${f.model_id}` : `item ${f.item_id}`}: ${f.failed_reason ?? "refused"}`)
      .join("; ");
    const succeeded = res.response?.success_list?.length ?? 0;
    throw new ConnectorError("refused", `Shopee refused ${what} for ${failures.length} of ${failures.length + succeeded} (${reasons})`, {
      code: succeeded > 0 ? "partial_failure" : "failure_list",
      cause: failures,
    });
  }

  return {
    provider: "SHOPEE",
    isSandbox: config.isSandbox,
    visitsReporting: "lifetime",
    hasMarketSignals: false,

    authorizationUrl(request: AuthorizationRequest): string {
      // The signed legacy link: its timestamp makes it valid for 5 minutes, so build it just before
      // redirecting the seller. Shopee has no `state`; it appends code and shop_id to `redirect`,
      // keeping the query we put there, so the state rides inside the redirect URL.
      const timestamp = Math.floor(now() / 1000);
      const redirect = new URL(request.redirectUri);
      redirect.searchParams.set("state", request.state);
      const url = new URL(base + PATHS.authPartner);
      url.searchParams.set("partner_id", String(partnerId));
      url.searchParams.set("timestamp", String(timestamp));
      url.searchParams.set("sign", publicSign(config.partnerKey, partnerId, PATHS.authPartner, timestamp));
      url.searchParams.set("redirect", redirect.toString());
      return url.toString();
    },

    async exchangeCode(request: CodeExchange): Promise<TokenSet> {
      const params = request.callbackParams;
      if (!params.shop_id && params.main_account_id) {
        throw new ConnectorError("refused", "Shopee main-account authorizations are not supported: authorize with the shop account");
      }
      const shopId = shopIdOf({ externalAccountId: params.shop_id ?? "" });
      const res = await call<TokenResponse>({
        method: "POST",
        path: PATHS.tokenGet,
        body: { code: request.code, shop_id: shopId, partner_id: partnerId },
        grant: true,
      });
      const set = tokenSet(res, shopId);
      const name = await shopName(set.accessToken, shopId);
      return name ? { ...set, accountName: name } : set;
    },

    async refresh(refreshToken: string, account: { externalAccountId: string }): Promise<TokenSet> {
      // Refresh tokens are single-use and rotate: the caller must store the returned one at once and
      // serialise refreshes per shop, or a lost race burns the only valid token.
      const shopId = shopIdOf(account);
      const res = await call<TokenResponse>({
        method: "POST",
        path: PATHS.refresh,
        body: { refresh_token: refreshToken, partner_id: partnerId, shop_id: shopId },
        grant: true,
      });
      if (!res.refresh_token) throw new ConnectorError("transient", "Shopee refresh answer carried no refresh_token");
      return tokenSet(res, shopId);
    },

    async listItemIds(credentials: MarketplaceCredentials, cursor: string | null): Promise<ItemPage> {
      const offset = cursor ? Number(cursor) : 0;
      if (!Number.isSafeInteger(offset) || offset < 0) throw new ConnectorError("refused", "Invalid Shopee paging cursor");
      const res = await call<ItemListResponse>({
        method: "GET",
        path: PATHS.itemList,
        query: { offset, page_size: SHOPEE_PAGE_SIZE, item_status: ["NORMAL", "UNLIST", "BANNED"] },
        shop: shop(credentials),
      });
      const page = res.response ?? {};
      const ids = (page.item ?? []).map((i) => String(i.item_id));
      return {
        externalIds: ids,
        nextCursor: page.has_next_page && typeof page.next_offset === "number" ? String(page.next_offset) : null,
        total: page.total_count ?? ids.length,
      };
    },

    async getItems(credentials: MarketplaceCredentials, externalIds: string[]): Promise<MarketplaceItem[]> {
      const items = await baseInfo(credentials, externalIds.map(itemIdOf));
      const extra = new Map<number, { sale?: number }>();
      for (const batch of chunk(items.map((i) => i.item_id), SHOPEE_BATCH_SIZE)) {
        const res = await call<ExtraInfoResponse>({
          method: "GET",
          path: PATHS.extraInfo,
          query: { item_id_list: batch.join(",") },
          shop: shop(credentials),
        });
        for (const row of res.response?.item_list ?? []) extra.set(row.item_id, row);
      }
      const out: MarketplaceItem[] = [];
      for (const item of items) {
        let priceCents = toCents(item.price_info?.[0]?.current_price ?? item.price_info?.[0]?.original_price);
        let currency = item.price_info?.[0]?.currency ?? "BRL";
        let stock = item.stock_info_v2?.summary_info?.total_available_stock ?? 0;
        if (item.has_model) {
          // Items with variations carry no price_info: price and stock live on the models (one call
          // per item). The listing shows the lowest variation price and the total stock.
          const list = await models(credentials, item.item_id);
          const prices = list.map((m) => toCents(m.price_info?.[0]?.current_price ?? m.price_info?.[0]?.original_price)).filter((p) => p > 0);
          priceCents = prices.length ? Math.min(...prices) : 0;
          currency = list[0]?.price_info?.[0]?.currency ?? currency;
          stock = list.reduce((sum, m) => sum + (m.stock_info_v2?.summary_info?.total_available_stock ?? 0), 0);
        }
        const images = item.image?.image_url_list ?? [];
        out.push({
          externalId: String(item.item_id),
          title: item.item_name ?? "",
          categoryId: item.category_id ? String(item.category_id) : null,
          status: SHOPEE_STATUS_MAP[item.item_status ?? ""] ?? "INACTIVE",
          priceCents,
          currency,
          stock,
          soldQuantity: extra.get(item.item_id)?.sale ?? 0,
          listingType: null, // Shopee has no listing tiers
          freeShipping: (item.logistic_info ?? []).some((l) => l.enabled && l.is_free),
          pictureCount: images.length,
          gtin: item.gtin_code && item.gtin_code !== "00" ? item.gtin_code : null,
          permalink: null, // needs the shop's public domain per region; Shopee does not return it
          thumbnailUrl: images[0] ?? null,
          description: item.description ?? null,
          attributes: (item.attribute_list ?? []).map((a) => ({
            id: String(a.attribute_id),
            name: a.original_attribute_name ?? String(a.attribute_id),
            value: a.attribute_value_list?.map((v) => v.original_value_name).filter(Boolean).join(", ") || null,
          })),
          hasVariations: !!item.has_model,
          catalogListing: false, // Shopee has no catalog (shared) listings
          tags: shopeeTags(item),
        });
      }
      return out;
    },

    /**
     * Shopee has no per-day visits for an item: get_item_extra_info returns `views` as the lifetime
     * counter (with `sale`, `likes`, rating), and the shop-level traffic reports are not per item.
     * So this returns ONE row per item dated the UTC day of `to`, whose `visits` is the cumulative
     * counter at the time of the call. Daily visits are the difference between consecutive days'
     * snapshots — the ingestion must store Shopee rows as snapshots, not add them up. `from` is
     * accepted for the shared contract but cannot narrow the window.
     */
    async getVisits(credentials: MarketplaceCredentials, externalIds: string[], _from: Date, to: Date): Promise<DailyVisits[]> {
      const date = to.toISOString().slice(0, 10);
      const out: DailyVisits[] = [];
      for (const batch of chunk(externalIds.map(itemIdOf), SHOPEE_BATCH_SIZE)) {
        const res = await call<ExtraInfoResponse>({
          method: "GET",
          path: PATHS.extraInfo,
          query: { item_id_list: batch.join(",") },
          shop: shop(credentials),
        });
        for (const row of res.response?.item_list ?? []) out.push({ externalId: String(row.item_id), date, visits: row.views ?? 0 });
      }
      return out;
    },

    /**
     * Daily units per item from the shop's orders: get_order_list by create_time (windows of 15
     * days, cursor pages of 100) for the order numbers, then get_order_detail (50 a call) for
     * their items and quantities. Unpaid and cancelled orders are not sales.
     */
    async getDailySales(credentials: MarketplaceCredentials, from: Date, to: Date, options?: { beforeRequest?: () => Promise<void> }): Promise<DailySales[]> {
      const fromS = Math.floor(from.getTime() / 1000);
      const toS = Math.floor(to.getTime() / 1000);
      if (!(toS >= fromS)) return [];
      const sns = new Set<string>();
      for (let start = fromS; start <= toS; start += ORDER_WINDOW_S + 1) {
        const end = Math.min(toS, start + ORDER_WINDOW_S);
        for (let cursor = ""; ; ) {
          await options?.beforeRequest?.();
          const res = await call<OrderListResponse>({
            method: "GET",
            path: PATHS.orderList,
            query: { time_range_field: "create_time", time_from: start, time_to: end, page_size: SHOPEE_PAGE_SIZE, cursor, response_optional_fields: "order_status" },
            shop: shop(credentials),
          });
          for (const o of res.response?.order_list ?? []) if (!UNSOLD_ORDER_STATUSES.has(o.order_status ?? "")) sns.add(o.order_sn);
          if (!res.response?.more || !res.response.next_cursor) break;
          cursor = res.response.next_cursor;
        }
      }
      const units = new Map<string, number>(); // "<item id> <YYYY-MM-DD>" → units
      for (const batch of chunk([...sns], SHOPEE_BATCH_SIZE)) {
        await options?.beforeRequest?.();
        const res = await call<OrderDetailResponse>({
          method: "GET",
          path: PATHS.orderDetail,
          query: { order_sn_list: batch.join(","), response_optional_fields: "item_list" },
          shop: shop(credentials),
        });
        for (const order of res.response?.order_list ?? []) {
          // The status may have moved on since the list (a cancellation): the detail is newer.
          if (UNSOLD_ORDER_STATUSES.has(order.order_status ?? "") || typeof order.create_time !== "number") continue;
          const date = new Date(order.create_time * 1000).toISOString().slice(0, 10);
          for (const line of order.item_list ?? []) {
            const quantity = Number(line.model_quantity_purchased);
            if (!Number.isFinite(quantity) || quantity <= 0) continue;
            const key = `${line.item_id} ${date}`;
            units.set(key, (units.get(key) ?? 0) + quantity);
          }
        }
      }
      return [...units].map(([key, sales]) => {
        const [externalId, date] = key.split(" ") as [string, string];
        return { externalId, date, sales };
      });
    },

    /**
     * Shopee's Open API exposes no listing-quality score comparable to Mercado Livre's performance
     * endpoint (get_item_violation_info only reports bans/deboosts, which arrive as push 16 and as
     * item status). The Health Score is computed from the item data instead.
     */
    async getQuality(_credentials: MarketplaceCredentials, _externalId: string): Promise<QualityReport | null> {
      return null;
    },

    /** Shopee publishes no suggested-price/benchmark API to partners. */
    async getPriceReference(_credentials: MarketplaceCredentials, _externalId: string): Promise<PriceReference | null> {
      return null;
    },

    async updateItem(credentials: MarketplaceCredentials, externalId: string, update: ItemUpdate): Promise<void> {
      const itemId = itemIdOf(externalId);
      // Refusals known before any call come first, so a refused update writes nothing.
      if (update.pictureUrls) {
        // Shopee takes image ids from its own media upload API (media_space.upload_image), never URLs.
        throw new ConnectorError("refused", "Shopee pictures must be uploaded to Shopee's media space first; changing pictures by URL is not supported", {
          code: "pictures_by_url_not_supported",
        });
      }
      if (update.freeShipping !== undefined) {
        // An item's logistic_info only enables or disables the shop's shipping channels; who pays
        // the freight is decided by the shop's free-shipping programme and shipping-fee promotions
        // (Seller Centre, shop level). No Open API call makes one item ship free.
        throw new ConnectorError("refused", "Shopee sets free shipping per shop (free-shipping programme or shipping-fee promotion), not per item", {
          code: "free_shipping_not_per_item",
        });
      }
      const attributeList: { attribute_id: number; attribute_value_list: { value_id: number; original_value_name: string }[] }[] = [];
      let gtinCode: string | undefined;
      for (const attribute of update.attributes ?? []) {
        if (attribute.id === "GTIN") {
          gtinCode = attribute.value;
          continue;
        }
        // Shopee attributes are numbered per category (getItems reports those numbers as ids).
        const attributeId = Number(attribute.id);
        if (!Number.isSafeInteger(attributeId) || attributeId <= 0) {
          throw new ConnectorError("refused", `Shopee attribute "${attribute.id}" is not a Shopee attribute id of this item's category`, { code: "unknown_attribute" });
        }
        attributeList.push({ attribute_id: attributeId, attribute_value_list: [{ value_id: 0, original_value_name: attribute.value }] });
      }
      const needsModels = update.priceCents !== undefined || update.stock !== undefined;
      let modelIds = [0]; // model_id 0 addresses an item without variations
      if (needsModels) {
        const [item] = await baseInfo(credentials, [itemId]);
        if (!item) throw new ConnectorError("not_found", `Shopee item ${externalId} not found`);
        if (item.has_model) modelIds = (await models(credentials, itemId)).map((m) => m.model_id);
        if (update.stock !== undefined && modelIds.length > 1) {
          throw new ConnectorError("refused", "Shopee keeps stock per variation: an item with variations cannot take one stock number");
        }
      }
      // Title, description, attributes and GTIN travel in one update_item call (one write).
      const itemFields: Record<string, unknown> = {};
      if (update.title !== undefined) itemFields.item_name = update.title;
      if (update.description !== undefined) itemFields.description = update.description;
      if (attributeList.length > 0) itemFields.attribute_list = attributeList;
      if (gtinCode !== undefined) itemFields.gtin_code = gtinCode;
      if (Object.keys(itemFields).length > 0) {
        await call<Envelope>({ method: "POST", path: PATHS.updateItem, body: { item_id: itemId, ...itemFields }, shop: shop(credentials) });
      }
      if (update.priceCents !== undefined) {
        if (!Number.isSafeInteger(update.priceCents) || update.priceCents <= 0) throw new ConnectorError("refused", "Price must be a positive amount of cents");
        const price = update.priceCents / 100;
        const res = await call<BatchResult>({
          method: "POST",
          path: PATHS.updatePrice,
          body: { item_id: itemId, price_list: modelIds.map((model_id) => ({ model_id, original_price: price })) },
          shop: shop(credentials),
        });
        refuseFailures("the price", res);
      }
      if (update.stock !== undefined) {
        if (!Number.isSafeInteger(update.stock) || update.stock < 0) throw new ConnectorError("refused", "Stock must be a whole number ≥ 0");
        const res = await call<BatchResult>({
          method: "POST",
          path: PATHS.updateStock,
          body: { item_id: itemId, stock_list: modelIds.map((model_id) => ({ model_id, seller_stock: [{ stock: update.stock }] })) },
          shop: shop(credentials),
        });
        refuseFailures("the stock", res);
      }
      if (update.status !== undefined) {
        const res = await call<BatchResult>({
          method: "POST",
          path: PATHS.unlistItem,
          body: { item_list: [{ item_id: itemId, unlist: update.status === "PAUSED" }] },
          shop: shop(credentials),
        });
        refuseFailures("the status change", res);
      }
    },

    verifyNotification(webhook: InboundWebhook): boolean {
      return verifyShopeePush(config.partnerKey, webhook);
    },

    parseNotification(rawBody: string): MarketplaceNotification[] {
      return parseShopeePush(rawBody);
    },
  };
}
