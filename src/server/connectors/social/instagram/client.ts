import { createHmac, timingSafeEqual } from "node:crypto";

import { NETWORK_LIMITS } from "~/lib/social/networks";

import { ConnectorError, type AuthorizationRequest, type CodeExchange, type InboundWebhook, type TokenSet } from "../../common";
import type {
  AccountDailyMetrics,
  PostMetrics,
  PublishConfirmation,
  PublishingQuota,
  PublishProgress,
  PublishRequest,
  PublishState,
  SocialComment,
  SocialConnector,
  SocialCredentials,
  SocialPost,
  SocialWebhookEvent,
} from "../types";

/**
 * Instagram client for the Instagram API with Instagram Login: the consent page on
 * www.instagram.com, the code exchange on api.instagram.com and the Graph API on
 * graph.instagram.com. The same code talks to the built-in sandbox when given its base URLs.
 * Provider facts it follows: /work/shared/FACTS.md and docs/social-instagram.md. It never logs,
 * and its errors never carry tokens (query strings are left out of messages).
 */
export type InstagramConfig = {
  /** e.g. https://graph.instagram.com */
  graphUrl: string;
  /** e.g. https://api.instagram.com (code exchange) */
  apiUrl: string;
  /** e.g. https://www.instagram.com (consent page) */
  authUrl: string;
  clientId: string;
  clientSecret: string;
  isSandbox: boolean;
  fetch?: typeof fetch;
  /** Per-request timeout; a slow answer is `transient` (or `outcome_unknown` on media_publish). Default 20 s. */
  timeoutMs?: number;
  /** Wait suggested between two container status polls. Default 2 s (5 s for videos). */
  pollIntervalMs?: number;
};

export const INSTAGRAM_GRAPH_VERSION = "v23.0";
export const INSTAGRAM_SCOPES = [
  "instagram_business_basic",
  "instagram_business_content_publish",
  "instagram_business_manage_comments",
  "instagram_business_manage_insights",
];

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Meta's account insights accept at most 30 days between since and until. */
const INSIGHTS_RANGE_S = 30 * 86_400;
/** Post insights calls in flight at once for one getPostMetrics. */
const INSIGHTS_CONCURRENCY = 4;
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80002]);
/** Above this share of the call budget (X-App-Usage / X-Business-Use-Case-Usage), callers should slow down. */
export const SLOW_DOWN_CALL_COUNT = 95;
const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;
const QUOTA_UNKNOWN_WAIT_MS = HOUR_MS;
const MEDIA_FIELDS = "id,caption,permalink,timestamp,media_type";
/** listComments reads up to this many Graph pages, stopping early once it holds this many comments. */
const COMMENT_CALLS_PER_PAGE = 10;
const COMMENTS_PER_PAGE = 100;
const COMMENT_FIELDS = "id,text,timestamp,username,from,hidden,parent_id,replies{id,text,timestamp,username,from,hidden,parent_id}";

type GraphError = { message?: string; type?: string; code?: number; error_subcode?: number; is_transient?: boolean; error_user_title?: string; error_user_msg?: string };
type Paging = { cursors?: { before?: string; after?: string }; next?: string };
type GraphComment = { id: string; text?: string; timestamp?: string; username?: string; from?: { id?: string; username?: string }; hidden?: boolean; parent_id?: string; replies?: { data?: GraphComment[] } };
type GraphMedia = { id: string; caption?: string; permalink?: string; timestamp?: string; media_type?: string };
type Insight = { name: string; period?: string; values?: Array<{ value?: number; end_time?: string }> };

/** Share of the call budget used, read from Meta's usage headers (the highest one). */
export type InstagramUsage = {
  callCount: number;
  /** From `estimated_time_to_regain_access` (minutes), when Meta gives one. */
  regainAccessMs: number | null;
  /** call_count ≥ 95 %: space calls out before Meta blocks the app or the account. */
  slowDown: boolean;
  at: Date;
};

type CallResult<T> = { body: T; serverNow: number };

type CallInit = {
  method?: "GET" | "POST";
  token?: string;
  query?: Record<string, string | number | undefined>;
  form?: Record<string, string | number | undefined>;
  /** media_publish and replies: a lost answer may mean it is live (outcome_unknown, not transient). */
  live?: boolean;
  /** Which account the usage headers are recorded for. */
  account?: string;
};

/** Graph timestamps carry "+0000"; add the colon so every Date parser agrees. */
function parseTime(value: string | undefined): Date {
  if (!value) return new Date(0);
  return new Date(value.replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function clean(record: Record<string, string | number | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record ?? {})) if (v !== undefined) out[k] = String(v);
  return out;
}

function readUsage(headers: Headers): { callCount: number; regainAccessMs: number | null } | null {
  let callCount = -1;
  let regain: number | null = null;
  const app = headers.get("x-app-usage");
  if (app) {
    try {
      const parsed = JSON.parse(app) as Record<string, number>;
      callCount = Math.max(callCount, parsed.call_count ?? 0, parsed.total_cputime ?? 0, parsed.total_time ?? 0);
    } catch {
      /* a malformed header is no signal */
    }
  }
  const buc = headers.get("x-business-use-case-usage");
  if (buc) {
    try {
      const parsed = JSON.parse(buc) as Record<string, Array<Record<string, number>>>;
      for (const entries of Object.values(parsed)) {
        for (const e of entries ?? []) {
          callCount = Math.max(callCount, e.call_count ?? 0, e.total_cputime ?? 0, e.total_time ?? 0);
          const minutes = e.estimated_time_to_regain_access;
          if (typeof minutes === "number" && minutes > 0) regain = Math.max(regain ?? 0, minutes * 60_000);
        }
      }
    } catch {
      /* idem */
    }
  }
  return callCount < 0 && regain === null ? null : { callCount: Math.max(0, callCount), regainAccessMs: regain };
}

function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

function decodeCursor<T>(cursor: string | null): T | null {
  if (!cursor) return null;
  try {
    return JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as T;
  } catch {
    return null;
  }
}

const sameCaption = (a: string | undefined, b: string) => (a ?? "").trim() === b.trim();

export type InstagramConnector = SocialConnector & {
  /** The latest usage Meta reported for an account's calls (null before any call). */
  usageOf(externalAccountId: string): InstagramUsage | null;
};

export function createInstagramConnector(config: InstagramConfig): InstagramConnector {
  const graphUrl = `${config.graphUrl.replace(/\/+$/, "")}/${INSTAGRAM_GRAPH_VERSION}`;
  const graphRoot = config.graphUrl.replace(/\/+$/, "");
  const apiUrl = config.apiUrl.replace(/\/+$/, "");
  const authUrl = config.authUrl.replace(/\/+$/, "");
  const doFetch = config.fetch ?? fetch;
  const timeoutMs = config.timeoutMs ?? 20_000;
  const pollMs = config.pollIntervalMs ?? 2_000;
  const usage = new Map<string, InstagramUsage>();

  function graphFailure(status: number, where: string, error: GraphError | null, headers: Headers, live: boolean): ConnectorError {
    const code = error?.code;
    const subcode = error?.error_subcode;
    const detailCode = code !== undefined ? `ig_${code}${subcode ? `_${subcode}` : ""}` : `http_${status}`;
    // error_user_msg is Meta's readable reason ("The media is not ready…"); message is technical.
    const text = [error?.message, error?.error_user_msg].filter(Boolean).join(" — ") || `HTTP ${status}`;
    const message = `Instagram ${where}: ${text}`;
    const cause = { status, code, subcode, type: error?.type, usage: readUsage(headers) };
    if (code === 190) return new ConnectorError("unauthorized", message, { status, code: detailCode, cause });
    if (code === 9 && subcode === 2207042) return new ConnectorError("rate_limited", message, { status, code: "quota_exhausted", retryAfterMs: QUOTA_UNKNOWN_WAIT_MS, cause });
    if (code !== undefined && RATE_LIMIT_CODES.has(code)) {
      const retryAfterMs = readUsage(headers)?.regainAccessMs ?? DEFAULT_RATE_LIMIT_WAIT_MS;
      return new ConnectorError("rate_limited", message, { status, code: detailCode, retryAfterMs, cause });
    }
    if (status >= 500 || (error?.is_transient && code !== 9007)) {
      return new ConnectorError(live ? "outcome_unknown" : "transient", message, { status, code: detailCode, retryAfterMs: 5_000, cause });
    }
    if (code === 100 && subcode === 33) return new ConnectorError("not_found", message, { status, code: detailCode, cause });
    if (status === 404) return new ConnectorError("not_found", message, { status, code: detailCode, cause });
    return new ConnectorError("refused", message, { status, code: detailCode, cause });
  }

  /** One HTTP call; every failure becomes a ConnectorError a background function can act on. */
  async function call<T>(base: string, path: string, init: CallInit = {}): Promise<CallResult<T>> {
    const method = init.method ?? (init.form ? "POST" : "GET");
    const headers = new Headers({ accept: "application/json" });
    if (init.token) headers.set("authorization", `Bearer ${init.token}`);
    const query = new URLSearchParams(clean(init.query)).toString();
    let body: string | undefined;
    if (init.form) {
      headers.set("content-type", "application/x-www-form-urlencoded");
      body = new URLSearchParams(clean(init.form)).toString();
    }
    const where = `${method} ${path}`;
    let response: Response;
    let text: string;
    try {
      response = await doFetch(`${base}${path}${query ? `?${query}` : ""}`, { method, headers, body, signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
      text = await response.text();
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
      const what = timedOut ? `no answer within ${timeoutMs} ms` : "network error";
      throw new ConnectorError(init.live ? "outcome_unknown" : "transient", `Instagram ${where}: ${what}`, { code: timedOut ? "timeout" : "network", retryAfterMs: 5_000 });
    }
    const dateHeader = Date.parse(response.headers.get("date") ?? "");
    const serverNow = Number.isFinite(dateHeader) ? dateHeader : Date.now();
    if (init.account) {
      const read = readUsage(response.headers);
      if (read) usage.set(init.account, { ...read, slowDown: read.callCount >= SLOW_DOWN_CALL_COUNT, at: new Date(serverNow) });
    }
    let parsed: unknown = null;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = null;
      }
    }
    if (response.ok && parsed !== null && typeof parsed === "object" && !("error" in parsed)) return { body: parsed as T, serverNow };
    if (response.ok && parsed === null) {
      throw new ConnectorError(init.live ? "outcome_unknown" : "transient", `Instagram ${where}: answer is not JSON`, { status: response.status, retryAfterMs: 5_000 });
    }
    const graph = parsed && typeof parsed === "object" && "error" in parsed && typeof (parsed as { error: unknown }).error === "object" ? ((parsed as { error: GraphError }).error ?? null) : null;
    // api.instagram.com answers its own shape: {error_type, code, error_message}.
    const legacy = parsed && typeof parsed === "object" && "error_message" in parsed ? (parsed as { error_type?: string; code?: number; error_message?: string }) : null;
    if (legacy && !graph) {
      const message = `Instagram ${where}: ${legacy.error_message ?? `HTTP ${response.status}`}`;
      if (response.status >= 500) throw new ConnectorError("transient", message, { status: response.status, retryAfterMs: 5_000 });
      // A wrong app id/secret is configuration, not the seller's grant.
      if (/client (id|secret)|app id/i.test(legacy.error_message ?? "")) throw new ConnectorError("refused", message, { status: response.status, code: "invalid_client" });
      throw new ConnectorError("invalid_grant", message, { status: response.status, code: "invalid_grant" });
    }
    throw graphFailure(response.status, where, graph, response.headers, !!init.live);
  }

  const graphCall = <T>(path: string, init: CallInit = {}) => call<T>(graphUrl, path, init);

  function scopesOf(value: unknown): string[] {
    if (Array.isArray(value)) return value.map(String);
    if (typeof value === "string") return value.split(/[,\s]+/).filter(Boolean);
    return INSTAGRAM_SCOPES;
  }

  // ─── OAuth ────────────────────────────────────────────────────────────────────────────────────
  function authorizationUrl(request: AuthorizationRequest): string {
    const params = new URLSearchParams({
      client_id: config.clientId,
      redirect_uri: request.redirectUri,
      response_type: "code",
      scope: INSTAGRAM_SCOPES.join(","),
      state: request.state,
    });
    return `${authUrl}/oauth/authorize?${params.toString()}`;
  }

  async function exchangeCode(request: CodeExchange): Promise<TokenSet> {
    const code = request.code.replace(/#_$/, "");
    const { body: short } = await call<{ access_token?: string; user_id?: number | string; permissions?: unknown; data?: Array<{ access_token: string; user_id: number | string; permissions?: unknown }> }>(
      apiUrl,
      "/oauth/access_token",
      { form: { client_id: config.clientId, client_secret: config.clientSecret, grant_type: "authorization_code", redirect_uri: request.redirectUri, code } },
    );
    // Newer answers wrap the token in data[0]; older ones are flat.
    const first = short.data?.[0] ?? short;
    if (!first.access_token) throw new ConnectorError("transient", "Instagram POST /oauth/access_token: no access_token in the answer");
    const { body: long, serverNow } = await call<{ access_token: string; expires_in: number }>(graphRoot, "/access_token", {
      query: { grant_type: "ig_exchange_token", client_secret: config.clientSecret, access_token: first.access_token },
    });
    const { body: me } = await graphCall<{ id?: string; user_id?: string | number; username?: string }>("/me", { token: long.access_token, query: { fields: "user_id,username" } });
    const externalAccountId = String(me.user_id ?? me.id ?? first.user_id);
    const expiresAt = new Date(serverNow + long.expires_in * 1000);
    return {
      accessToken: long.access_token,
      // What refresh takes is the long-lived token itself.
      refreshToken: long.access_token,
      expiresAt,
      refreshExpiresAt: expiresAt,
      scopes: scopesOf(first.permissions),
      externalAccountId,
      accountName: me.username,
    };
  }

  async function refresh(refreshToken: string, account: { externalAccountId: string }): Promise<TokenSet> {
    let result: CallResult<{ access_token: string; expires_in: number }>;
    try {
      result = await call(graphRoot, "/refresh_access_token", { query: { grant_type: "ig_refresh_token", access_token: refreshToken } });
    } catch (error) {
      // An expired or revoked long-lived token cannot be refreshed: the seller must reconnect.
      if (error instanceof ConnectorError && error.kind === "unauthorized") throw new ConnectorError("invalid_grant", error.message, error.details);
      throw error;
    }
    const expiresAt = new Date(result.serverNow + result.body.expires_in * 1000);
    return {
      accessToken: result.body.access_token,
      refreshToken: result.body.access_token,
      expiresAt,
      refreshExpiresAt: expiresAt,
      scopes: INSTAGRAM_SCOPES,
      externalAccountId: account.externalAccountId,
    };
  }

  // ─── Publishing ───────────────────────────────────────────────────────────────────────────────
  async function recentMedia(credentials: SocialCredentials, limit: number, after?: string) {
    const { body, serverNow } = await graphCall<{ data?: GraphMedia[]; paging?: Paging }>(`/${credentials.externalAccountId}/media`, {
      token: credentials.accessToken,
      account: credentials.externalAccountId,
      query: { fields: MEDIA_FIELDS, limit, after },
    });
    return { media: body.data ?? [], paging: body.paging, serverNow };
  }

  /** When the oldest post of the rolling window leaves it (a publishing slot frees up), if it can tell. */
  async function quotaResetsAt(credentials: SocialCredentials, total: number, durationS: number): Promise<{ at: Date; serverNow: number } | null> {
    const { media, serverNow } = await recentMedia(credentials, Math.min(100, Math.max(1, total)));
    const inWindow = media.map((m) => parseTime(m.timestamp).getTime()).filter((t) => t > serverNow - durationS * 1000);
    if (inWindow.length === 0) return null;
    return { at: new Date(Math.min(...inWindow) + durationS * 1000), serverNow };
  }

  async function readQuota(credentials: SocialCredentials): Promise<PublishingQuota & { serverNow: number }> {
    const { body, serverNow } = await graphCall<{ data?: Array<{ quota_usage?: number; config?: { quota_total?: number; quota_duration?: number } }> }>(
      `/${credentials.externalAccountId}/content_publishing_limit`,
      { token: credentials.accessToken, account: credentials.externalAccountId, query: { fields: "quota_usage,config" } },
    );
    const row = body.data?.[0];
    const limit = row?.config?.quota_total ?? NETWORK_LIMITS.INSTAGRAM.postsPer24h ?? 50;
    const used = row?.quota_usage ?? 0;
    // When a slot frees up matters only once the quota is spent (one more call to find it).
    const resets = used >= limit ? await quotaResetsAt(credentials, limit, row?.config?.quota_duration ?? 86_400).catch(() => null) : null;
    return { limit, used, resetsAt: resets?.at ?? null, serverNow: resets?.serverNow ?? serverNow };
  }

  async function getPublishingQuota(credentials: SocialCredentials): Promise<PublishingQuota> {
    const { limit, used, resetsAt } = await readQuota(credentials);
    return { limit, used, resetsAt };
  }

  async function quotaExhausted(credentials: SocialCredentials, error: ConnectorError): Promise<ConnectorError> {
    let retryAfterMs = QUOTA_UNKNOWN_WAIT_MS;
    try {
      const quota = await readQuota(credentials);
      if (quota.resetsAt) retryAfterMs = Math.max(60_000, quota.resetsAt.getTime() - quota.serverNow);
    } catch {
      /* keep the hour: better late than refused again */
    }
    return new ConnectorError("rate_limited", error.message, { ...error.details, code: "quota_exhausted", retryAfterMs });
  }

  function startState(request: PublishRequest): PublishState {
    return request.media.length > 1 ? { phase: "children", data: { children: [] } } : { phase: "container", data: {} };
  }

  async function createContainer(credentials: SocialCredentials, form: Record<string, string | undefined>) {
    const { body, serverNow } = await graphCall<{ id: string }>(`/${credentials.externalAccountId}/media`, {
      method: "POST",
      token: credentials.accessToken,
      account: credentials.externalAccountId,
      form,
    });
    return { id: String(body.id), serverNow };
  }

  async function containerStatus(credentials: SocialCredentials, containerId: string) {
    const { body } = await graphCall<{ status_code?: string; status?: string }>(`/${containerId}`, {
      token: credentials.accessToken,
      account: credentials.externalAccountId,
      query: { fields: "status_code,status" },
    });
    return { code: body.status_code ?? "IN_PROGRESS", text: body.status ?? "" };
  }

  /** The live post made from our container: same caption, published after the container was created. */
  async function findPublished(credentials: SocialCredentials, caption: string, createdAt: number | undefined): Promise<{ externalId: string; permalink: string | null } | null> {
    let after: string | undefined;
    // Two pages of 25: a post we just made is among the newest.
    for (let page = 0; page < 2; page++) {
      const { media, paging } = await recentMedia(credentials, 25, after);
      const matches = media.filter((m) => sameCaption(m.caption, caption) && (createdAt === undefined || parseTime(m.timestamp).getTime() >= createdAt - 5 * 60_000));
      const match = matches.at(-1);
      if (match) return { externalId: String(match.id), permalink: match.permalink ?? null };
      if (!paging?.next || !paging.cursors?.after) return null;
      after = paging.cursors.after;
    }
    return null;
  }

  async function permalinkOf(credentials: SocialCredentials, mediaId: string): Promise<string | null> {
    try {
      const { body } = await graphCall<{ permalink?: string }>(`/${mediaId}`, { token: credentials.accessToken, account: credentials.externalAccountId, query: { fields: "permalink" } });
      return body.permalink ?? null;
    } catch {
      // The post is live either way; the permalink can be read by the next metrics sync.
      return null;
    }
  }

  async function advancePublish(credentials: SocialCredentials, request: PublishRequest, state: PublishState | null): Promise<PublishProgress> {
    const current = state ?? startState(request);
    const data = current.data;
    const isVideo = request.media.some((m) => m.kind === "VIDEO");
    switch (current.phase) {
      case "children": {
        const children = Array.isArray(data.children) ? (data.children as string[]) : [];
        const item = request.media[children.length];
        if (!item) return { kind: "next", state: { phase: "container", data: { ...data, children } } };
        const { id } = await createContainer(credentials, {
          is_carousel_item: "true",
          ...(item.kind === "VIDEO" ? { media_type: "VIDEO", video_url: item.url } : { image_url: item.url }),
        });
        const next = [...children, id];
        return { kind: "next", state: { phase: next.length < request.media.length ? "children" : "container", data: { ...data, children: next } } };
      }
      case "container": {
        const only = request.media[0];
        if (!only) return { kind: "failed", code: "no_media", reason: "An Instagram post needs at least one image or video." };
        const children = Array.isArray(data.children) ? (data.children as string[]) : [];
        // A carousel whose item containers are missing (state from another request shape) starts over.
        if (request.media.length > 1 && children.length !== request.media.length) return { kind: "next", state: startState(request) };
        const form: Record<string, string | undefined> =
          request.media.length > 1
            ? { media_type: "CAROUSEL", children: children.join(","), caption: request.caption }
            : only.kind === "VIDEO"
              ? { media_type: "REELS", video_url: only.url, caption: request.caption }
              : { image_url: only.url, caption: request.caption };
        const { id, serverNow } = await createContainer(credentials, form);
        return { kind: "next", state: { phase: "status", data: { ...data, containerId: id, createdAt: serverNow } } };
      }
      case "status": {
        const containerId = String(data.containerId);
        const status = await containerStatus(credentials, containerId);
        switch (status.code) {
          case "FINISHED":
            return { kind: "next", state: { phase: "publish", data } };
          case "ERROR":
            return { kind: "failed", code: "container_error", reason: status.text || "Instagram could not process the media." };
          case "EXPIRED":
            return { kind: "failed", code: "container_expired", reason: status.text || "The Instagram container expired before it was published (24 h)." };
          case "PUBLISHED": {
            // Published by an earlier attempt whose answer was lost: find that post, never publish again.
            const found = await findPublished(credentials, request.caption, data.createdAt as number | undefined);
            if (!found) throw new ConnectorError("transient", "Instagram: the container is published but the post is not listed yet", { code: "published_not_listed", retryAfterMs: 10_000 });
            return { kind: "published", ...found };
          }
          default:
            return { kind: "wait", state: current, retryAfterMs: isVideo ? Math.max(pollMs, 5_000) : pollMs };
        }
      }
      case "publish": {
        const containerId = String(data.containerId);
        let mediaId: string;
        try {
          const { body } = await graphCall<{ id: string }>(`/${credentials.externalAccountId}/media_publish`, {
            method: "POST",
            token: credentials.accessToken,
            account: credentials.externalAccountId,
            form: { creation_id: containerId },
            live: true,
          });
          mediaId = String(body.id);
        } catch (error) {
          if (!(error instanceof ConnectorError)) throw error;
          if (error.details.code === "quota_exhausted") throw await quotaExhausted(credentials, error);
          // 9007 "Media ID is not available": not finished yet, or already published — the status says which.
          if (error.kind === "refused" && error.details.code?.startsWith("ig_9007")) return { kind: "wait", state: { phase: "status", data }, retryAfterMs: pollMs };
          throw error;
        }
        return { kind: "published", externalId: mediaId, permalink: await permalinkOf(credentials, mediaId) };
      }
      default:
        return { kind: "next", state: startState(request) };
    }
  }

  async function confirmPublish(credentials: SocialCredentials, request: PublishRequest, state: PublishState): Promise<PublishConfirmation> {
    const containerId = state.data.containerId;
    if (typeof containerId !== "string" || !containerId) return { kind: "not_published", state };
    const status = await containerStatus(credentials, containerId);
    switch (status.code) {
      case "PUBLISHED": {
        const found = await findPublished(credentials, request.caption, state.data.createdAt as number | undefined);
        if (!found) throw new ConnectorError("transient", "Instagram: the container is published but the post is not listed yet", { code: "published_not_listed", retryAfterMs: 10_000 });
        return { kind: "published", ...found };
      }
      case "FINISHED":
        return { kind: "not_published", state: { phase: "publish", data: state.data } };
      case "IN_PROGRESS":
        return { kind: "not_published", state: { phase: "status", data: state.data } };
      default:
        // ERROR / EXPIRED: that container can never go live; start over with a new one.
        return { kind: "not_published", state: startState(request) };
    }
  }

  // ─── Metrics and posts ────────────────────────────────────────────────────────────────────────
  async function getPostMetrics(credentials: SocialCredentials, externalIds: string[]): Promise<PostMetrics[]> {
    // Graph has one insights call per media: a few at a time, results in the order asked.
    const results: Array<PostMetrics | null> = new Array<PostMetrics | null>(externalIds.length).fill(null);
    let next = 0;
    const worker = async () => {
      while (next < externalIds.length) {
        const index = next++;
        results[index] = await postMetrics(credentials, externalIds[index]!);
      }
    };
    await Promise.all(Array.from({ length: Math.min(INSIGHTS_CONCURRENCY, externalIds.length) }, worker));
    return results.filter((r): r is PostMetrics => r !== null);
  }

  async function postMetrics(credentials: SocialCredentials, id: string): Promise<PostMetrics | null> {
    let insights: Insight[];
    try {
      const { body } = await graphCall<{ data?: Insight[] }>(`/${id}/insights`, {
        token: credentials.accessToken,
        account: credentials.externalAccountId,
        query: { metric: "views,reach,likes,comments,shares,saved" },
      });
      insights = body.data ?? [];
    } catch (error) {
      // A deleted post has no metrics any more; the others still do.
      if (error instanceof ConnectorError && error.kind === "not_found") return null;
      throw error;
    }
    const value = (name: string) => insights.find((i) => i.name === name)?.values?.[0]?.value ?? 0;
    return { externalId: id, views: value("views"), reach: value("reach"), likes: value("likes"), comments: value("comments"), shares: value("shares"), saves: value("saved") };
  }

  async function getAccountMetrics(credentials: SocialCredentials, from: Date, to: Date): Promise<AccountDailyMetrics[]> {
    const firstDay = Math.floor(from.getTime() / DAY_MS);
    const lastDay = Math.floor(to.getTime() / DAY_MS);
    if (lastDay < firstDay) return [];
    const { body: profile, serverNow } = await graphCall<{ followers_count?: number }>(`/${credentials.externalAccountId}`, {
      token: credentials.accessToken,
      account: credentials.externalAccountId,
      query: { fields: "followers_count" },
    });
    // follower_count is followers gained per day: fetch up to today so the totals can be walked back from today's count.
    const endSeconds = Math.max(Math.floor(serverNow / 1000), (lastDay + 1) * 86_400);
    const byDay = new Map<string, Record<string, number>>();
    for (let since = firstDay * 86_400; since < endSeconds; since += INSIGHTS_RANGE_S) {
      const until = Math.min(since + INSIGHTS_RANGE_S, endSeconds);
      const { body } = await graphCall<{ data?: Insight[] }>(`/${credentials.externalAccountId}/insights`, {
        token: credentials.accessToken,
        account: credentials.externalAccountId,
        query: { metric: "reach,views,profile_views,accounts_engaged,follower_count", period: "day", since, until },
      });
      for (const insight of body.data ?? []) {
        for (const v of insight.values ?? []) {
          // end_time is the end of Meta's day: the day is the one before it.
          const date = day(parseTime(v.end_time).getTime() - DAY_MS);
          const row = byDay.get(date) ?? {};
          row[insight.name] = v.value ?? 0;
          byDay.set(date, row);
        }
      }
    }
    const current = profile.followers_count ?? 0;
    const rows: AccountDailyMetrics[] = [];
    let followers = current;
    const newestDay = Math.max(lastDay, Math.floor(serverNow / DAY_MS));
    for (let d = newestDay; d >= firstDay; d--) {
      const date = day(d * DAY_MS);
      const row = byDay.get(date) ?? {};
      if (d <= lastDay) {
        rows.push({ date, followers, views: row.views ?? 0, reach: row.reach ?? 0, profileViews: row.profile_views ?? 0, engagements: row.accounts_engaged ?? 0 });
      }
      followers -= row.follower_count ?? 0;
    }
    return rows.reverse();
  }

  async function listPosts(credentials: SocialCredentials, cursor: string | null): Promise<{ posts: SocialPost[]; nextCursor: string | null }> {
    const { media, paging } = await recentMedia(credentials, 25, cursor ?? undefined);
    return {
      posts: media.map((m) => ({ externalId: String(m.id), caption: m.caption ?? "", permalink: m.permalink ?? null, publishedAt: parseTime(m.timestamp) })),
      nextCursor: paging?.next && paging.cursors?.after ? paging.cursors.after : null,
    };
  }

  // ─── Comments ─────────────────────────────────────────────────────────────────────────────────
  function toComment(c: GraphComment, postExternalId: string, parent: string | null): SocialComment {
    return {
      externalId: String(c.id),
      postExternalId,
      parentExternalId: c.parent_id ?? parent,
      authorExternalId: String(c.from?.id ?? c.username ?? ""),
      authorName: c.from?.username ?? c.username ?? "",
      text: c.text ?? "",
      createdAt: parseTime(c.timestamp),
      hidden: c.hidden ?? false,
    };
  }

  async function listComments(
    credentials: SocialCredentials,
    query: { postExternalIds: string[]; since: Date | null; cursor: string | null },
  ): Promise<{ comments: SocialComment[]; nextCursor: string | null }> {
    // Graph lists comments per post: a page walks the posts in turn (a few calls), the cursor
    // remembers the post and its Graph cursor so the next page resumes there.
    let position = decodeCursor<{ i: number; a: string | null }>(query.cursor) ?? { i: 0, a: null };
    const since = query.since?.getTime() ?? null;
    const comments: SocialComment[] = [];
    for (let calls = 0; calls < COMMENT_CALLS_PER_PAGE && comments.length < COMMENTS_PER_PAGE; calls++) {
      const postId = query.postExternalIds[position.i];
      if (!postId) break;
      let body: { data?: GraphComment[]; paging?: Paging } | null = null;
      try {
        ({ body } = await graphCall<{ data?: GraphComment[]; paging?: Paging }>(`/${postId}/comments`, {
          token: credentials.accessToken,
          account: credentials.externalAccountId,
          query: { fields: COMMENT_FIELDS, limit: 50, after: position.a ?? undefined },
        }));
      } catch (error) {
        // A deleted post has no comments to read any more; go on with the others.
        if (!(error instanceof ConnectorError && error.kind === "not_found")) throw error;
      }
      for (const top of body?.data ?? []) {
        comments.push(toComment(top, postId, null));
        for (const r of top.replies?.data ?? []) comments.push(toComment(r, postId, String(top.id)));
      }
      const after = body?.paging?.next && body.paging.cursors?.after ? body.paging.cursors.after : null;
      position = after ? { i: position.i, a: after } : { i: position.i + 1, a: null };
    }
    const fresh = since === null ? comments : comments.filter((c) => c.createdAt.getTime() > since);
    return { comments: fresh, nextCursor: position.i < query.postExternalIds.length ? encodeCursor(position) : null };
  }

  async function replyToComment(credentials: SocialCredentials, target: { commentExternalId: string; postExternalId: string; text: string }): Promise<{ externalId: string }> {
    const send = (commentId: string) =>
      // A reply whose answer is lost may be visible already: outcome_unknown, so the caller looks before resending.
      graphCall<{ id: string }>(`/${commentId}/replies`, { method: "POST", token: credentials.accessToken, account: credentials.externalAccountId, form: { message: target.text }, live: true });
    try {
      const { body } = await send(target.commentExternalId);
      return { externalId: String(body.id) };
    } catch (error) {
      if (!(error instanceof ConnectorError) || error.kind !== "refused") throw error;
      // Instagram threads are one level deep: an answer to a reply goes to the thread's top comment.
      const { body: comment } = await graphCall<{ parent_id?: string }>(`/${target.commentExternalId}`, {
        token: credentials.accessToken,
        account: credentials.externalAccountId,
        query: { fields: "parent_id" },
      });
      if (!comment.parent_id) throw error;
      const { body } = await send(comment.parent_id);
      return { externalId: String(body.id) };
    }
  }

  async function setCommentHidden(credentials: SocialCredentials, commentExternalId: string, hiddenValue: boolean): Promise<void> {
    await graphCall(`/${commentExternalId}`, { method: "POST", token: credentials.accessToken, account: credentials.externalAccountId, form: { hide: String(hiddenValue) } });
  }

  // ─── Webhooks ─────────────────────────────────────────────────────────────────────────────────
  function verifyWebhook(webhook: InboundWebhook): boolean {
    const header = webhook.headers.get("x-hub-signature-256") ?? "";
    const match = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
    if (!match) return false;
    const expected = createHmac("sha256", config.clientSecret).update(webhook.rawBody, "utf8").digest();
    const given = Buffer.from(match[1]!.toLowerCase(), "hex");
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  function answerWebhookChallenge(query: URLSearchParams, verifyToken: string): string | null {
    if (query.get("hub.mode") !== "subscribe") return null;
    const given = Buffer.from(query.get("hub.verify_token") ?? "");
    const expected = Buffer.from(verifyToken);
    if (!verifyToken || given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    return query.get("hub.challenge");
  }

  function parseWebhook(rawBody: string): SocialWebhookEvent[] {
    let payload: unknown;
    try {
      payload = JSON.parse(rawBody);
    } catch {
      return [];
    }
    if (!payload || typeof payload !== "object" || (payload as { object?: unknown }).object !== "instagram") return [];
    const entries = (payload as { entry?: unknown }).entry;
    if (!Array.isArray(entries)) return [];
    const events: SocialWebhookEvent[] = [];
    for (const entry of entries as Array<{ id?: string | number; time?: number; changes?: Array<{ field?: string; value?: Record<string, unknown> }> }>) {
      for (const change of entry.changes ?? []) {
        if (change.field !== "comments" || !change.value) continue;
        const v = change.value as { id?: string | number; text?: string; from?: { id?: string | number; username?: string }; media?: { id?: string | number }; parent_id?: string | number };
        if (v.id === undefined || !v.media?.id) continue;
        events.push({
          // The comment id: Meta's retries of the same delivery carry the same one.
          id: `instagram:comment:${v.id}`,
          type: "comment.created",
          externalAccountId: String(entry.id ?? ""),
          comment: {
            externalId: String(v.id),
            postExternalId: String(v.media.id),
            parentExternalId: v.parent_id !== undefined ? String(v.parent_id) : null,
            authorExternalId: String(v.from?.id ?? ""),
            authorName: v.from?.username ?? "",
            text: v.text ?? "",
            createdAt: new Date((entry.time ?? 0) * 1000),
            hidden: false,
          },
        });
      }
    }
    return events;
  }

  return {
    provider: "INSTAGRAM",
    isSandbox: config.isSandbox,
    limits: NETWORK_LIMITS.INSTAGRAM,
    commentsDelivery: "webhook",
    publishQuotaCost: null,
    authorizationUrl,
    exchangeCode,
    refresh,
    getPublishingQuota,
    advancePublish,
    confirmPublish,
    getPostMetrics,
    getAccountMetrics,
    listPosts,
    listComments,
    replyToComment,
    setCommentHidden,
    verifyWebhook,
    answerWebhookChallenge,
    parseWebhook,
    usageOf: (id) => usage.get(id) ?? null,
  };
}
