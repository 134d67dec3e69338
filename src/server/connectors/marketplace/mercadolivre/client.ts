import { createHash } from "node:crypto";

import {
  ConnectorError,
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
  type QualityRule,
  type TokenSet,
} from "../types";

/**
 * Mercado Livre client for the real API (api.mercadolibre.com + auth.mercadolivre.com.br). The same
 * code talks to the built-in sandbox when given its base URLs. Provider rules it respects are in
 * /work/shared/FACTS.md ("Provider APIs"). It never logs, and its errors never carry tokens.
 */
export type MercadoLivreConfig = {
  /** e.g. https://api.mercadolibre.com (no trailing slash needed). */
  apiUrl: string;
  /** e.g. https://auth.mercadolivre.com.br (the consent host of the seller's site). */
  authUrl: string;
  clientId: string;
  clientSecret: string;
  isSandbox: boolean;
  fetch?: typeof fetch;
  /** Per-request timeout; a slow answer becomes a `transient` error. Default 15 s. */
  timeoutMs?: number;
};

/** ML's pagination rules: offset paging stops at 1000 results; past that, search_type=scan. */
const OFFSET_LIMIT = 50;
const OFFSET_CEILING = 1000;
const SCAN_LIMIT = 100;
const MULTIGET_MAX = 20;
const VISITS_IDS_MAX = 50;
const VISITS_WINDOW_DAYS = 150;
/**
 * Order search paging: pages of 50, and (as for item search) no further than offset 1000 — past
 * that the date range is split in two and each half paged on its own.
 */
const ORDERS_LIMIT = 50;
const ORDERS_OFFSET_CEILING = 1000;
const DAY_MS = 86_400_000;
/** ML does not always send Retry-After with a 429; wait this long before the next try. */
const DEFAULT_RETRY_AFTER_MS = 2_000;
/** ML documents refresh tokens as valid for 6 months (and single-use). */
const REFRESH_TTL_MS = 180 * DAY_MS;
/** Notifications are small JSON documents; anything bigger is not from Mercado Livre. */
const MAX_NOTIFICATION_BYTES = 16 * 1024;

/** Topics an app can subscribe to; anything else is refused by verifyNotification. */
export const MERCADOLIVRE_TOPICS = [
  "items",
  "items_prices",
  "questions",
  "orders_v2",
  "payments",
  "messages",
  "shipments",
  "claims",
  "invoices",
  "public_offers",
  "stock-locations",
  "catalog_item_competition_status",
  "fbm_stock_operations",
] as const;

const ITEM_ATTRIBUTES = [
  "id",
  "title",
  "category_id",
  "price",
  "currency_id",
  "available_quantity",
  "sold_quantity",
  "listing_type_id",
  "shipping",
  "pictures",
  "attributes",
  "status",
  "permalink",
  "thumbnail",
  "variations",
  "catalog_listing",
  "sub_status",
  "tags",
].join(",");

type MlErrorBody = { message?: string; error?: string; status?: number; cause?: Array<{ code?: string; message?: string }> | unknown };

type TokenResponse = {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope?: string;
  user_id: number | string;
  refresh_token?: string;
};

type MlItem = {
  id: string;
  title: string;
  category_id?: string | null;
  price?: number | null;
  currency_id?: string | null;
  available_quantity?: number | null;
  sold_quantity?: number | null;
  listing_type_id?: string | null;
  shipping?: { free_shipping?: boolean } | null;
  pictures?: Array<{ secure_url?: string; url?: string }> | null;
  attributes?: Array<{ id: string; name?: string; value_name?: string | null }> | null;
  status?: string | null;
  permalink?: string | null;
  thumbnail?: string | null;
  variations?: unknown[] | null;
  catalog_listing?: boolean | null;
  sub_status?: string[] | null;
  tags?: string[] | null;
};

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function toCents(amount: number): number {
  return Math.round(amount * 100);
}

function mapStatus(status: string | null | undefined): ListingStatus {
  switch (status) {
    case "active":
      return "ACTIVE";
    case "paused":
      return "PAUSED";
    case "closed":
      return "CLOSED";
    case "under_review":
      return "UNDER_REVIEW";
    default:
      return "INACTIVE";
  }
}

function retryAfterMs(header: string | null): number {
  if (!header) return DEFAULT_RETRY_AFTER_MS;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : DEFAULT_RETRY_AFTER_MS;
}

/** The first cause's message ("You cannot modify the title if the item has sales"), if any. */
function causeMessage(body: MlErrorBody | null): string | undefined {
  if (!body || !Array.isArray(body.cause)) return undefined;
  const first = body.cause.find((c): c is { message: string } => typeof c === "object" && c !== null && typeof (c as { message?: unknown }).message === "string");
  return first?.message;
}

function causeCode(body: MlErrorBody | null): string | undefined {
  if (body && Array.isArray(body.cause)) {
    const first = body.cause.find((c): c is { code: string } => typeof c === "object" && c !== null && typeof (c as { code?: unknown }).code === "string");
    if (first) return first.code;
  }
  return body?.error ?? undefined;
}

export function createMercadoLivreConnector(config: MercadoLivreConfig): MarketplaceConnector {
  const apiUrl = config.apiUrl.replace(/\/+$/, "");
  const authUrl = config.authUrl.replace(/\/+$/, "");
  const doFetch = config.fetch ?? fetch;
  const timeoutMs = config.timeoutMs ?? 15_000;

  /** One HTTP call; every failure becomes a ConnectorError a background function can act on. */
  async function call<T>(
    path: string,
    init: { method?: string; token?: string; form?: Record<string, string>; json?: unknown; allow404?: boolean } = {},
  ): Promise<T | null> {
    const headers = new Headers({ accept: "application/json" });
    let body: string | undefined;
    if (init.token) headers.set("authorization", `Bearer ${init.token}`);
    if (init.form) {
      headers.set("content-type", "application/x-www-form-urlencoded");
      body = new URLSearchParams(init.form).toString();
    } else if (init.json !== undefined) {
      headers.set("content-type", "application/json");
      body = JSON.stringify(init.json);
    }
    const method = init.method ?? (body ? "POST" : "GET");
    // Only the path goes into messages: query strings here never hold tokens, but keep it terse.
    const where = `${method} ${path.split("?")[0]}`;
    let response: Response;
    let text: string;
    try {
      response = await doFetch(`${apiUrl}${path}`, { method, headers, body, signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
      text = await response.text();
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
      throw new ConnectorError("transient", `Mercado Livre ${where}: ${timedOut ? `no answer within ${timeoutMs} ms` : "network error"}`, {
        code: timedOut ? "timeout" : "network",
        retryAfterMs: 1_000,
      });
    }
    let parsed: unknown = null;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = null;
      }
    }
    if (response.ok) {
      if (parsed === null && text) throw new ConnectorError("transient", `Mercado Livre ${where}: answer is not JSON`, { status: response.status });
      return parsed as T;
    }
    const errorBody = parsed && typeof parsed === "object" ? (parsed as MlErrorBody) : null;
    const code = causeCode(errorBody);
    // ML's top-level message is generic ("Validation error"); the cause says what was refused.
    const reason = causeMessage(errorBody);
    const message = `Mercado Livre ${where}: ${response.status} ${errorBody?.message ?? response.statusText}${reason ? ` (${code ? `${code}: ` : ""}${reason})` : ""}`.trim();
    const details = { status: response.status, code, cause: errorBody ?? undefined };
    if (response.status === 429) {
      throw new ConnectorError("rate_limited", message, { ...details, retryAfterMs: retryAfterMs(response.headers.get("retry-after")) });
    }
    if (response.status >= 500) throw new ConnectorError("transient", message, { ...details, retryAfterMs: 1_000 });
    if (errorBody?.error === "invalid_grant") throw new ConnectorError("invalid_grant", message, details);
    // Wrong app credentials are a configuration problem: refreshing the seller's token cannot fix it.
    if (errorBody?.error === "invalid_client") throw new ConnectorError("refused", message, details);
    if (response.status === 401) throw new ConnectorError("unauthorized", message, details);
    if (response.status === 404) {
      if (init.allow404) return null;
      throw new ConnectorError("not_found", message, details);
    }
    throw new ConnectorError("refused", message, details);
  }

  async function requireOk<T>(path: string, init: Parameters<typeof call>[1] = {}): Promise<T> {
    return (await call<T>(path, init)) as T;
  }

  /**
   * The seller's nickname, or undefined. A 429 is likely right after a connect: the app's rate is
   * shared with the syncs of the organization's other accounts, so it waits the Retry-After (at most
   * 2 s) and asks again, twice; any other failure gives up at once.
   */
  async function nicknameOf(token: string): Promise<string | undefined> {
    for (let attempt = 0; ; attempt++) {
      try {
        const me = await call<{ nickname?: string }>("/users/me", { token, allow404: true });
        return me?.nickname;
      } catch (error) {
        if (!(error instanceof ConnectorError) || error.kind !== "rate_limited" || attempt >= 2) return undefined;
        await new Promise((resolve) => setTimeout(resolve, Math.min(error.details.retryAfterMs ?? 1_000, 2_000)));
      }
    }
  }

  async function tokenSet(response: TokenResponse, knownAccountName?: string): Promise<TokenSet> {
    const now = Date.now();
    let accountName = knownAccountName;
    if (accountName === undefined) {
      // Best effort: the code (or refresh token) is already spent, so failing here would lose the
      // new tokens and force the seller to reconnect just for a display name.
      accountName = await nicknameOf(response.access_token);
    }
    return {
      accessToken: response.access_token,
      refreshToken: response.refresh_token ?? null,
      expiresAt: new Date(now + Number(response.expires_in) * 1000),
      refreshExpiresAt: response.refresh_token ? new Date(now + REFRESH_TTL_MS) : null,
      scopes: (response.scope ?? "").split(/\s+/).filter(Boolean),
      externalAccountId: String(response.user_id),
      ...(accountName ? { accountName } : {}),
    };
  }

  type SearchResponse = { results: string[]; paging: { total: number; offset?: number; limit: number }; scroll_id?: string | null };

  async function scan(credentials: MarketplaceCredentials, seen: number, scrollId: string | null): Promise<ItemPage> {
    const params = new URLSearchParams({ search_type: "scan", limit: String(SCAN_LIMIT) });
    if (scrollId) params.set("scroll_id", scrollId);
    let page: SearchResponse;
    try {
      page = await requireOk<SearchResponse>(`/users/${encodeURIComponent(credentials.externalAccountId)}/items/search?${params}`, {
        token: credentials.accessToken,
      });
    } catch (error) {
      // A scroll_id lives 5 minutes; a sync parked longer (rate limits, restarts) finds it expired.
      // Restarting the scan repeats ids already returned (ingestion upserts by id) but misses none.
      if (scrollId && error instanceof ConnectorError && error.kind === "refused" && error.details.status === 400) return scan(credentials, 0, null);
      throw error;
    }
    const count = seen + page.results.length;
    const done = page.results.length === 0 || count >= page.paging.total || !page.scroll_id;
    return { externalIds: page.results, total: page.paging.total, nextCursor: done ? null : `scroll:${count}:${page.scroll_id}` };
  }

  const connector: MarketplaceConnector = {
    provider: "MERCADOLIVRE",
    isSandbox: config.isSandbox,
    visitsReporting: "daily",
    hasMarketSignals: true,

    authorizationUrl({ state, redirectUri, codeChallenge }) {
      const params = new URLSearchParams({ response_type: "code", client_id: config.clientId, redirect_uri: redirectUri, state });
      if (codeChallenge) {
        params.set("code_challenge", codeChallenge);
        params.set("code_challenge_method", "S256");
      }
      return `${authUrl}/authorization?${params}`;
    },

    async exchangeCode({ code, redirectUri, codeVerifier }) {
      const form: Record<string, string> = {
        grant_type: "authorization_code",
        client_id: config.clientId,
        client_secret: config.clientSecret,
        code,
        redirect_uri: redirectUri,
      };
      if (codeVerifier) form.code_verifier = codeVerifier;
      return tokenSet(await requireOk<TokenResponse>("/oauth/token", { form }));
    },

    async refresh(refreshToken, account) {
      // Refresh tokens are single-use: the caller must serialize refreshes per seller and store the
      // new refresh token before anything else can fail, or the seller has to reconnect.
      const response = await requireOk<TokenResponse>("/oauth/token", {
        form: { grant_type: "refresh_token", client_id: config.clientId, client_secret: config.clientSecret, refresh_token: refreshToken },
      });
      if (String(response.user_id) !== account.externalAccountId) {
        throw new ConnectorError("refused", "Mercado Livre refresh returned a token for another account", { code: "account_mismatch" });
      }
      return tokenSet(response);
    },

    async listItemIds(credentials, cursor) {
      const user = encodeURIComponent(credentials.externalAccountId);
      if (cursor?.startsWith("scroll:")) {
        const [, seen, ...rest] = cursor.split(":");
        return scan(credentials, Number(seen), rest.join(":"));
      }
      const offset = cursor?.startsWith("offset:") ? Number(cursor.slice("offset:".length)) : 0;
      if (!Number.isInteger(offset) || offset < 0) throw new ConnectorError("refused", "Invalid listing cursor", { code: "invalid_cursor" });
      if (offset >= OFFSET_CEILING) {
        // The seller grew past 1000 items while we paged by offset: continue with a full scan.
        // Ids already returned may come again; ingestion upserts by id, so that is harmless.
        return scan(credentials, 0, null);
      }
      const limit = Math.min(OFFSET_LIMIT, OFFSET_CEILING - offset);
      const page = await requireOk<SearchResponse>(`/users/${user}/items/search?offset=${offset}&limit=${limit}`, {
        token: credentials.accessToken,
      });
      if (offset === 0 && page.paging.total > OFFSET_CEILING) {
        // Offset paging cannot reach past 1000, and scan order is not offset order: mixing the two
        // would duplicate or miss ids. A big seller is listed with one scan from the start.
        return scan(credentials, 0, null);
      }
      const next = offset + page.results.length;
      const done = page.results.length === 0 || next >= page.paging.total;
      return { externalIds: page.results, total: page.paging.total, nextCursor: done ? null : `offset:${next}` };
    },

    async getItems(credentials, externalIds) {
      const items: MarketplaceItem[] = [];
      for (let i = 0; i < externalIds.length; i += MULTIGET_MAX) {
        const ids = externalIds.slice(i, i + MULTIGET_MAX);
        const params = new URLSearchParams({ ids: ids.join(","), attributes: ITEM_ATTRIBUTES });
        const entries = await requireOk<Array<{ code: number; body: MlItem | MlErrorBody }>>(`/items?${params}`, { token: credentials.accessToken });
        for (const entry of entries) {
          if (entry.code === 200) items.push(mapItem(entry.body as MlItem));
          else if (entry.code === 429) throw new ConnectorError("rate_limited", "Mercado Livre multiget: 429 inside the batch", { status: 429, retryAfterMs: DEFAULT_RETRY_AFTER_MS });
          else if (entry.code >= 500) throw new ConnectorError("transient", `Mercado Livre multiget: ${entry.code} inside the batch`, { status: entry.code });
          // 404 (deleted) and 403 (not visible) items are simply absent from the result.
        }
      }
      return items;
    },

    async getVisits(credentials, externalIds, from, to) {
      const fromMs = Math.floor(from.getTime() / DAY_MS) * DAY_MS;
      const toMs = Math.floor(to.getTime() / DAY_MS) * DAY_MS;
      if (toMs < fromMs || externalIds.length === 0) return [];
      const days = (toMs - fromMs) / DAY_MS + 1;
      const out: DailyVisits[] = [];
      const perDayCalls = days * Math.ceil(externalIds.length / VISITS_IDS_MAX);
      const perItemCalls = externalIds.length * Math.ceil(days / VISITS_WINDOW_DAYS);
      if (perDayCalls <= perItemCalls) {
        // Short windows (the daily sync): one call per day for up to 50 items.
        for (let d = fromMs; d <= toMs; d += DAY_MS) {
          for (let i = 0; i < externalIds.length; i += VISITS_IDS_MAX) {
            const ids = externalIds.slice(i, i + VISITS_IDS_MAX);
            const params = new URLSearchParams({ ids: ids.join(","), date_from: day(d), date_to: day(d) });
            const rows = await requireOk<Array<{ item_id: string; total_visits: number }>>(`/items/visits?${params}`, { token: credentials.accessToken });
            for (const row of rows) out.push({ externalId: row.item_id, date: day(d), visits: row.total_visits });
          }
        }
        return out;
      }
      // Long histories (first import): the daily series per item, in windows of at most 150 days.
      for (const id of externalIds) {
        for (let end = toMs; end >= fromMs; end -= VISITS_WINDOW_DAYS * DAY_MS) {
          const last = Math.min(VISITS_WINDOW_DAYS, (end - fromMs) / DAY_MS + 1);
          const params = new URLSearchParams({ last: String(last), unit: "day", ending: day(end) });
          const series = await call<{ results: Array<{ date: string; total: number }> }>(
            `/items/${encodeURIComponent(id)}/visits/time_window?${params}`,
            { token: credentials.accessToken, allow404: true },
          );
          if (!series) break;
          for (const point of series.results) {
            const date = point.date.slice(0, 10);
            if (date >= day(fromMs) && date <= day(toMs)) out.push({ externalId: id, date, visits: point.total });
          }
        }
      }
      return out;
    },

    async getDailySales(credentials, from, to, options) {
      const fromMs = from.getTime();
      const toMs = to.getTime();
      if (!(toMs >= fromMs)) return [];
      const units = new Map<string, number>(); // "<item id> <YYYY-MM-DD>" → units
      // Split ranges share their edge second and a page can shift while we read: count each order once.
      const seen = new Set<string>();
      const seller = credentials.externalAccountId;
      // Oldest range first (date_asc): orders created while we page land after what we read.
      const ranges: Array<[number, number]> = [[fromMs, toMs]];
      while (ranges.length > 0) {
        const [start, end] = ranges.shift()!;
        for (let offset = 0; ; ) {
          const params = new URLSearchParams({
            seller,
            "order.status": "paid",
            "order.date_created.from": mlInstant(start),
            "order.date_created.to": mlInstant(end),
            sort: "date_asc",
            offset: String(offset),
            limit: String(ORDERS_LIMIT),
          });
          await options?.beforeRequest?.();
          const page = await requireOk<OrderSearch>(`/orders/search?${params}`, { token: credentials.accessToken });
          if (offset === 0 && page.paging.total > ORDERS_OFFSET_CEILING) {
            if (end - start < 2_000) {
              throw new ConnectorError("refused", "Mercado Livre orders: more orders within one second than the search can page", { code: "orders_too_dense" });
            }
            const mid = start + Math.floor((end - start) / 2_000) * 1_000;
            ranges.unshift([start, mid - 1], [mid, end]);
            break;
          }
          for (const order of page.results) {
            if (order.status !== "paid" || seen.has(String(order.id))) continue;
            seen.add(String(order.id));
            const created = Date.parse(order.date_created);
            if (!Number.isFinite(created) || created < fromMs || created > toMs) continue;
            const date = day(created);
            for (const line of order.order_items ?? []) {
              const id = line.item?.id;
              const quantity = Number(line.quantity);
              if (!id || !Number.isFinite(quantity) || quantity <= 0) continue;
              const key = `${id} ${date}`;
              units.set(key, (units.get(key) ?? 0) + quantity);
            }
          }
          offset += page.results.length;
          if (page.results.length === 0 || offset >= page.paging.total || offset >= ORDERS_OFFSET_CEILING) break;
        }
      }
      const out: DailySales[] = [];
      for (const [key, sales] of units) {
        const [externalId, date] = key.split(" ") as [string, string];
        out.push({ externalId, date, sales });
      }
      return out.sort((a, b) => (a.date === b.date ? a.externalId.localeCompare(b.externalId) : a.date < b.date ? -1 : 1));
    },

    async getQuality(credentials, externalId) {
      type Perf = {
        score: number;
        level: string;
        buckets?: Array<{ variables?: Array<{ rules?: Array<{ key: string; mode: string; status: string; progress: number }> }> }>;
      };
      const perf = await call<Perf>(`/item/${encodeURIComponent(externalId)}/performance`, { token: credentials.accessToken, allow404: true });
      if (!perf) return null;
      const rules: QualityRule[] = [];
      for (const bucket of perf.buckets ?? []) {
        for (const variable of bucket.variables ?? []) {
          for (const rule of variable.rules ?? []) {
            rules.push({
              key: rule.key,
              mode: rule.mode === "WARNING" ? "WARNING" : "OPPORTUNITY",
              status: rule.status === "COMPLETED" ? "COMPLETED" : "PENDING",
              progress: Number(rule.progress) || 0,
            });
          }
        }
      }
      return { score: perf.score, level: perf.level, rules } satisfies QualityReport;
    },

    async getPriceReference(credentials, externalId) {
      const details = await call<{ suggested_price?: { amount?: number } | null; percent_difference?: number }>(
        `/marketplace/benchmarks/items/${encodeURIComponent(externalId)}/details`,
        { token: credentials.accessToken, allow404: true },
      );
      if (!details?.suggested_price?.amount) return null;
      return { suggestedPriceCents: toCents(details.suggested_price.amount), percentDifference: Number(details.percent_difference ?? 0) } satisfies PriceReference;
    },

    async getDescription(credentials, externalId) {
      const description = await call<{ plain_text?: string | null }>(`/items/${encodeURIComponent(externalId)}/description`, {
        token: credentials.accessToken,
        allow404: true,
      });
      const text = description?.plain_text?.trim();
      return text ? text : null;
    },

    async updateItem(credentials, externalId, update: ItemUpdate) {
      const body: Record<string, unknown> = {};
      if (update.priceCents !== undefined) body.price = update.priceCents / 100;
      if (update.stock !== undefined) body.available_quantity = update.stock;
      if (update.title !== undefined) body.title = update.title;
      if (update.status !== undefined) body.status = update.status === "ACTIVE" ? "active" : "paused";
      if (update.pictureUrls !== undefined) body.pictures = update.pictureUrls.map((source) => ({ source }));
      // Only the attributes sent change; the others keep their values (GTIN is attribute "GTIN").
      if (update.attributes !== undefined) body.attributes = update.attributes.map((a) => ({ id: a.id, value_name: a.value }));
      if (update.freeShipping !== undefined) body.shipping = { free_shipping: update.freeShipping };
      const path = `/items/${encodeURIComponent(externalId)}`;
      if (Object.keys(body).length > 0) await requireOk(path, { method: "PUT", token: credentials.accessToken, json: body });
      // The description is a resource of its own, plain text only. It goes second: if the item
      // write is refused, nothing was written; if this one fails, retrying the whole update is
      // harmless because every value is absolute.
      if (update.description !== undefined) {
        await requireOk(`${path}/description`, { method: "PUT", token: credentials.accessToken, json: { plain_text: update.description } });
      }
    },

    /**
     * Mercado Livre does not sign its notifications (no HMAC header, no shared secret), so the
     * delivery cannot be authenticated. What can be checked is checked: size, a well-formed body,
     * a known topic, and application_id equal to our client id. Treat the notification as a hint
     * only — the handler must re-read the resource with the seller's token (never trust its content).
     */
    verifyNotification(webhook: InboundWebhook) {
      if (Buffer.byteLength(webhook.rawBody, "utf8") > MAX_NOTIFICATION_BYTES) return false;
      let body: unknown;
      try {
        body = JSON.parse(webhook.rawBody);
      } catch {
        return false;
      }
      if (!body || typeof body !== "object" || Array.isArray(body)) return false;
      const b = body as Record<string, unknown>;
      if (String(b.application_id ?? "") !== config.clientId) return false;
      if (typeof b.topic !== "string" || !(MERCADOLIVRE_TOPICS as readonly string[]).includes(b.topic)) return false;
      if (typeof b.resource !== "string" || !b.resource.startsWith("/") || b.resource.length > 500) return false;
      if (!/^\d{1,20}$/.test(String(b.user_id ?? ""))) return false;
      const when = typeof b.sent === "string" ? b.sent : b.received;
      if (typeof when !== "string" || !Number.isFinite(Date.parse(when))) return false;
      return true;
    },

    parseNotification(rawBody) {
      const b = JSON.parse(rawBody) as Record<string, unknown>;
      const resource = typeof b.resource === "string" ? b.resource : null;
      const topic = String(b.topic ?? "");
      const userId = String(b.user_id ?? "");
      const received = typeof b.received === "string" ? b.received : typeof b.sent === "string" ? b.sent : new Date().toISOString();
      const sent = typeof b.sent === "string" ? b.sent : received;
      // Retries of one delivery share _id; without it, (topic, resource, user, received) is stable.
      const id =
        typeof b._id === "string" && b._id
          ? b._id
          : createHash("sha256").update(`${topic}|${resource}|${userId}|${received}`).digest("hex").slice(0, 32);
      const itemMatch = resource ? /^\/items\/([A-Z]{3}\d+)/.exec(resource) : null;
      const notification: MarketplaceNotification = {
        id,
        topic,
        externalAccountId: userId,
        externalItemId: itemMatch ? itemMatch[1]! : null,
        resource,
        sentAt: new Date(sent),
      };
      return [notification];
    },
  };

  return connector;
}

type OrderSearch = {
  paging: { total: number; offset: number; limit: number };
  results: Array<{
    id: number | string;
    status: string;
    date_created: string;
    order_items?: Array<{ item?: { id?: string }; quantity?: number }>;
  }>;
};

/** Order search filters take ISO-8601 instants; Mercado Livre's own examples write UTC as -00:00. */
function mlInstant(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "-00:00");
}

function mapItem(item: MlItem): MarketplaceItem {
  const attributes = (item.attributes ?? []).map((a) => ({ id: a.id, name: a.name ?? a.id, value: a.value_name ?? null }));
  const gtin = attributes.find((a) => a.id === "GTIN")?.value ?? null;
  const pictures = item.pictures ?? [];
  return {
    externalId: item.id,
    title: item.title,
    categoryId: item.category_id ?? null,
    status: mapStatus(item.status),
    priceCents: toCents(item.price ?? 0),
    currency: item.currency_id ?? "BRL",
    stock: item.available_quantity ?? 0,
    soldQuantity: item.sold_quantity ?? 0,
    listingType: item.listing_type_id ?? null,
    freeShipping: item.shipping?.free_shipping === true,
    pictureCount: pictures.length,
    pictureUrls: pictures.flatMap((p) => (p.secure_url ?? p.url ? [(p.secure_url ?? p.url)!] : [])),
    gtin: gtin && gtin.trim() ? gtin : null,
    permalink: item.permalink ?? null,
    thumbnailUrl: pictures[0]?.secure_url ?? item.thumbnail ?? null,
    attributes,
    hasVariations: (item.variations ?? []).length > 0,
    catalogListing: item.catalog_listing === true,
    tags: normaliseTags(item),
  };
}

/**
 * Mercado Livre's moderation signals in our vocabulary (MarketplaceItem.tags):
 * - tags `poor_quality_thumbnail` / `poor_quality_picture` → "poor_quality_picture";
 * - tag `moderation_penalty` (an infraction; on active items it costs exposure) → "moderation_penalty";
 * - an active item with sub_status `warning` (losing exposure, nothing to fix yet) → "deboost";
 * - status `under_review` (waiting_for_patch, held, forbidden, …) → "under_review".
 */
function normaliseTags(item: MlItem): string[] {
  const tags = new Set<string>();
  const raw = item.tags ?? [];
  const sub = item.sub_status ?? [];
  if (raw.includes("poor_quality_thumbnail") || raw.includes("poor_quality_picture")) tags.add("poor_quality_picture");
  if (raw.includes("moderation_penalty") || sub.includes("moderation_penalty")) tags.add("moderation_penalty");
  if (item.status === "active" && sub.includes("warning")) tags.add("deboost");
  if (item.status === "under_review") tags.add("under_review");
  return [...tags];
}
