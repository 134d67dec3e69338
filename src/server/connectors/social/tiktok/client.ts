import { ConnectorError, type AuthorizationRequest, type CodeExchange, type InboundWebhook, type TokenSet } from "../../common";
import { NETWORK_LIMITS } from "~/lib/social/networks";
import type {
  AccountDailyMetrics,
  PostMetrics,
  PublishConfirmation,
  PublishProgress,
  PublishRequest,
  PublishState,
  SocialComment,
  SocialConnector,
  SocialCredentials,
  SocialPost,
} from "../types";
import { chunkRange, planChunks, TIKTOK_DEFAULT_CHUNK_BYTES, type ChunkPlan } from "./chunks";

/**
 * TikTok client: Login Kit v2 (www.tiktok.com + open.tiktokapis.com), Content Posting API v2
 * (direct post), Display API (video list/query) and the Business API for comments and account
 * metrics (business-api.tiktok.com). The same code talks to the built-in sandbox when given its base
 * URLs. Provider rules it respects are in /work/shared/FACTS.md and docs/social-tiktok.md. It never
 * logs, and its errors never carry tokens.
 */
export type TikTokConfig = {
  /** Consent page host, e.g. https://www.tiktok.com */
  authUrl: string;
  /** Open API host, e.g. https://open.tiktokapis.com */
  apiUrl: string;
  /** Business API host, e.g. https://business-api.tiktok.com */
  businessApiUrl: string;
  clientKey: string;
  clientSecret: string;
  isSandbox: boolean;
  fetch?: typeof fetch;
  /** Per-request timeout for API calls. Default 15 s. */
  timeoutMs?: number;
  /** Per-chunk timeout for uploads (a 64 MB chunk takes a while). Default 120 s. */
  uploadTimeoutMs?: number;
  /** FILE_UPLOAD chunk size we ask for (5–64 MB). */
  chunkSize?: number;
  /**
   * Hosts verified for PULL_FROM_URL in the TikTok developer portal. A video whose URL is on one of
   * them is pulled by TikTok; anything else is uploaded (FILE_UPLOAD). Default: none.
   */
  pullFromUrlHosts?: string[];
  /** How long to wait for the public post id after PUBLISH_COMPLETE (moderation). Default 2 h. */
  moderationWaitMs?: number;
};

export const TIKTOK_SCOPES = ["user.info.basic", "user.info.stats", "video.publish", "video.upload", "video.list"];
/** TikTok sends no Retry-After; its limits are per minute, so a full window is the safe wait. */
const DEFAULT_RETRY_AFTER_MS = 60_000;
/** The daily post cap (spam_risk_too_many_posts) frees up over the day: try again in an hour. */
const DAILY_CAP_RETRY_MS = 3_600_000;
const PROCESSING_POLL_MS = 3_000;
const MODERATION_POLL_MS = 10_000;
const DEFAULT_MODERATION_WAIT_MS = 2 * 3_600_000;
/** Nothing lost at init under PULL_FROM_URL shows up in the video list after this long: it never went live. */
const PULL_CONFIRM_WINDOW_MS = 30 * 60_000;
const VIDEO_FIELDS = "id,title,create_time,share_url,view_count,like_count,comment_count,share_count";
const BUSINESS_PAGE = 30;

/** TikTok's fail_reason values, in words a seller can act on. */
const FAIL_REASONS: Record<string, string> = {
  file_format_check_failed: "O TikTok não aceitou o formato do arquivo de vídeo (use MP4, WebM ou MOV).",
  duration_check_failed: "O vídeo é mais longo do que esta conta do TikTok permite publicar.",
  frame_rate_check_failed: "A taxa de quadros do vídeo não é aceita pelo TikTok (use de 23 a 60 fps).",
  picture_size_check_failed: "A resolução do vídeo não é aceita pelo TikTok (mínimo 360 px).",
  internal: "O TikTok teve um erro interno ao processar o vídeo; tente publicar de novo.",
  video_pull_failed: "O TikTok não conseguiu baixar o vídeo do link enviado.",
  publish_cancelled: "A publicação foi cancelada no TikTok.",
  auth_removed: "A conta do TikTok revogou o acesso do Super Seller; reconecte a conta.",
  spam_risk_too_many_posts: "A conta atingiu o limite diário de publicações do TikTok.",
  spam_risk_user_banned_from_posting: "O TikTok bloqueou publicações desta conta.",
  spam_risk_text: "O TikTok considerou o texto da legenda como spam.",
  spam_risk: "O TikTok recusou a publicação por risco de spam.",
};

type OpenApiBody<T> = { data?: T; error?: { code?: string; message?: string; log_id?: string } };
type BusinessBody<T> = { code?: number; message?: string; data?: T };
type TokenResponse = {
  access_token?: string;
  expires_in?: number;
  open_id?: string;
  refresh_token?: string;
  refresh_expires_in?: number;
  scope?: string;
  error?: string;
  error_description?: string;
};
type CreatorInfo = {
  creator_username?: string;
  creator_nickname?: string;
  privacy_level_options?: string[];
  comment_disabled?: boolean;
  duet_disabled?: boolean;
  stitch_disabled?: boolean;
  max_video_post_duration_sec?: number;
};
type StatusData = { status?: string; fail_reason?: string; publicaly_available_post_id?: Array<string | number>; uploaded_bytes?: number };
type TikTokVideo = {
  id: string;
  title?: string;
  video_description?: string;
  create_time?: number;
  share_url?: string;
  view_count?: number;
  like_count?: number;
  comment_count?: number;
  share_count?: number;
};
type BusinessComment = {
  comment_id: string;
  video_id: string;
  user_id?: string;
  username?: string;
  display_name?: string;
  text?: string;
  create_time?: number | string;
  parent_comment_id?: string;
  status?: string;
  owner?: boolean;
};

/** What the publish state machine keeps between phases (phase_data). */
type PublishData = {
  privacy?: string;
  disableComment?: boolean;
  disableDuet?: boolean;
  disableStitch?: boolean;
  username?: string;
  source?: "FILE_UPLOAD" | "PULL_FROM_URL";
  plan?: ChunkPlan;
  publishId?: string;
  uploadUrl?: string;
  nextChunk?: number;
  startedAt?: number;
  completeSince?: number;
};

/**
 * Our comment id is "{video_id}:{comment_id}": the Business API needs the video id to hide a
 * comment, and the connector interface only hands back the comment's id.
 */
export function tiktokCommentExternalId(videoId: string, commentId: string): string {
  return `${videoId}:${commentId}`;
}

function splitCommentId(externalId: string): { videoId: string; commentId: string } {
  const at = externalId.indexOf(":");
  if (at <= 0) throw new ConnectorError("refused", `TikTok comment id ${externalId} does not carry its video id`, { code: "invalid_comment_id" });
  return { videoId: externalId.slice(0, at), commentId: externalId.slice(at + 1) };
}

/**
 * status/fetch sends post ids as bare 64-bit JSON numbers, which JSON.parse would round to a
 * different id: quote them (only inside publicaly_available_post_id) before parsing.
 */
export function quotePostIds(text: string): string {
  return text.replace(/("publicaly_available_post_id"\s*:\s*\[)([^\]]*)\]/g, (_, open: string, list: string) => {
    const items = list.split(",").map((item) => (/^\s*-?\d+\s*$/.test(item) ? `"${item.trim()}"` : item));
    return `${open}${items.join(",")}]`;
  });
}

function retryAfterMs(header: string | null): number {
  const seconds = header === null ? NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : DEFAULT_RETRY_AFTER_MS;
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function readableFailReason(reason: string | undefined): string {
  return (reason && FAIL_REASONS[reason]) ?? `O TikTok recusou o vídeo${reason ? ` (${reason})` : ""}.`;
}

export function createTikTokConnector(config: TikTokConfig): SocialConnector {
  const authUrl = config.authUrl.replace(/\/+$/, "");
  const apiUrl = config.apiUrl.replace(/\/+$/, "");
  const businessUrl = config.businessApiUrl.replace(/\/+$/, "");
  const doFetch = config.fetch ?? fetch;
  const timeoutMs = config.timeoutMs ?? 15_000;
  const uploadTimeoutMs = config.uploadTimeoutMs ?? 120_000;
  const moderationWaitMs = config.moderationWaitMs ?? DEFAULT_MODERATION_WAIT_MS;
  const pullHosts = new Set(config.pullFromUrlHosts ?? []);

  /** fetch with a timeout; a lost answer becomes `transient`, or `outcome_unknown` for a live-making call. */
  async function send(url: string, init: RequestInit, where: string, opts: { live?: boolean; timeout?: number } = {}): Promise<Response> {
    const limit = opts.timeout ?? timeoutMs;
    try {
      return await doFetch(url, { ...init, signal: AbortSignal.timeout(limit), redirect: "manual" });
    } catch (error) {
      const what = isTimeout(error) ? `no answer within ${limit} ms` : "network error";
      if (opts.live) throw new ConnectorError("outcome_unknown", `TikTok ${where}: ${what}; the post may be live`, { code: isTimeout(error) ? "timeout" : "network" });
      throw new ConnectorError("transient", `TikTok ${where}: ${what}`, { code: isTimeout(error) ? "timeout" : "network", retryAfterMs: 1_000 });
    }
  }

  async function parse(response: Response, where: string, live: boolean): Promise<unknown> {
    let text: string;
    try {
      text = await response.text();
    } catch {
      if (live) throw new ConnectorError("outcome_unknown", `TikTok ${where}: the answer was cut off; the post may be live`, { status: response.status });
      throw new ConnectorError("transient", `TikTok ${where}: the answer was cut off`, { status: response.status, retryAfterMs: 1_000 });
    }
    if (!text) return null;
    try {
      return JSON.parse(quotePostIds(text));
    } catch {
      return null;
    }
  }

  /** One Open API call (Bearer token, answers `{data, error}`). */
  async function openApi<T>(path: string, init: { token: string; json?: unknown; method?: string; live?: boolean }): Promise<T> {
    const method = init.method ?? (init.json === undefined ? "GET" : "POST");
    const where = `${method} ${path.split("?")[0]}`;
    const headers = new Headers({ accept: "application/json", authorization: `Bearer ${init.token}` });
    if (init.json !== undefined) headers.set("content-type", "application/json; charset=UTF-8");
    const response = await send(`${apiUrl}${path}`, { method, headers, body: init.json === undefined ? undefined : JSON.stringify(init.json) }, where, { live: init.live });
    const body = (await parse(response, where, !!init.live)) as OpenApiBody<T> | null;
    const code = body?.error?.code;
    if (response.ok && (code === undefined || code === "ok")) {
      if (!body) {
        if (init.live) throw new ConnectorError("outcome_unknown", `TikTok ${where}: the answer is not JSON; the post may be live`, { status: response.status });
        throw new ConnectorError("transient", `TikTok ${where}: answer is not JSON`, { status: response.status, retryAfterMs: 1_000 });
      }
      return (body.data ?? {}) as T;
    }
    const message = `TikTok ${where}: ${response.status} ${code ?? "error"}${body?.error?.message ? ` (${body.error.message})` : ""}`;
    const details = { status: response.status, code, cause: body?.error?.log_id ? { log_id: body.error.log_id } : undefined };
    if (response.status >= 500 || (!body && !response.ok)) {
      if (init.live) throw new ConnectorError("outcome_unknown", `${message}; the post may be live`, details);
      throw new ConnectorError("transient", message, { ...details, retryAfterMs: 1_000 });
    }
    if (response.status === 429 || code === "rate_limit_exceeded") {
      throw new ConnectorError("rate_limited", message, { ...details, retryAfterMs: retryAfterMs(response.headers.get("retry-after")) });
    }
    // The daily post cap is a quota: "quota_exhausted" makes the publishing engine wait for a slot
    // (the post waits, it is not failed and burns no retries).
    if (code === "spam_risk_too_many_posts") throw new ConnectorError("rate_limited", message, { ...details, code: "quota_exhausted", retryAfterMs: DAILY_CAP_RETRY_MS });
    if (code === "access_token_invalid" || (response.status === 401 && code !== "scope_not_authorized")) throw new ConnectorError("unauthorized", message, details);
    if (response.status === 404) throw new ConnectorError("not_found", message, details);
    throw new ConnectorError("refused", message, details);
  }

  /** One Business API call (`Access-Token` header, HTTP 200 with a numeric `code`). */
  async function businessApi<T>(path: string, init: { token: string; query?: Record<string, string>; json?: unknown }): Promise<T> {
    const method = init.json === undefined ? "GET" : "POST";
    const where = `${method} ${path}`;
    const url = `${businessUrl}${path}${init.query ? `?${new URLSearchParams(init.query).toString()}` : ""}`;
    const headers = new Headers({ accept: "application/json", "access-token": init.token });
    if (init.json !== undefined) headers.set("content-type", "application/json");
    const response = await send(url, { method, headers, body: init.json === undefined ? undefined : JSON.stringify(init.json) }, where);
    const body = (await parse(response, where, false)) as BusinessBody<T> | null;
    if (response.status >= 500 || !body) throw new ConnectorError("transient", `TikTok ${where}: ${response.status}`, { status: response.status, retryAfterMs: 1_000 });
    if (body.code === 0) return (body.data ?? {}) as T;
    const code = String(body.code ?? response.status);
    const message = `TikTok ${where}: ${code} ${body.message ?? ""}`.trim();
    const details = { status: response.status, code };
    if (body.code === 40100 || response.status === 429) {
      throw new ConnectorError("rate_limited", message, { ...details, retryAfterMs: retryAfterMs(response.headers.get("retry-after")) });
    }
    if (body.code === 40104 || body.code === 40105 || response.status === 401) throw new ConnectorError("unauthorized", message, details);
    if (typeof body.code === "number" && body.code >= 50000) throw new ConnectorError("transient", message, { ...details, retryAfterMs: 1_000 });
    throw new ConnectorError("refused", message, details);
  }

  async function tokenCall(form: Record<string, string>): Promise<TokenSet> {
    const where = "POST /v2/oauth/token/";
    const response = await send(
      `${apiUrl}/v2/oauth/token/`,
      {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json", "cache-control": "no-cache" },
        body: new URLSearchParams({ client_key: config.clientKey, client_secret: config.clientSecret, ...form }).toString(),
      },
      where,
    );
    const body = (await parse(response, where, false)) as TokenResponse | null;
    // TikTok reports token errors as {error, error_description}, with a 200 as often as a 4xx.
    if (body?.error || !response.ok || !body?.access_token) {
      const message = `TikTok ${where}: ${response.status} ${body?.error ?? "error"}${body?.error_description ? ` (${body.error_description})` : ""}`;
      const details = { status: response.status, code: body?.error };
      if (response.status >= 500 || (!body && response.ok)) throw new ConnectorError("transient", message, { ...details, retryAfterMs: 1_000 });
      if (response.status === 429) throw new ConnectorError("rate_limited", message, { ...details, retryAfterMs: retryAfterMs(response.headers.get("retry-after")) });
      if (body?.error === "invalid_grant") throw new ConnectorError("invalid_grant", message, details);
      throw new ConnectorError("refused", message, details);
    }
    const now = Date.now();
    return {
      accessToken: body.access_token,
      refreshToken: body.refresh_token ?? null,
      expiresAt: new Date(now + (body.expires_in ?? 7_200) * 1000),
      refreshExpiresAt: body.refresh_expires_in ? new Date(now + body.refresh_expires_in * 1000) : null,
      scopes: (body.scope ?? "").split(/[,\s]+/).filter(Boolean),
      externalAccountId: body.open_id ?? "",
    };
  }

  async function displayName(accessToken: string): Promise<string | undefined> {
    try {
      const data = await openApi<{ user?: { display_name?: string } }>("/v2/user/info/?fields=open_id,display_name,avatar_url,follower_count,likes_count,video_count", {
        token: accessToken,
      });
      return data.user?.display_name;
    } catch {
      // The name is cosmetic: a connection must not fail because the profile call did.
      return undefined;
    }
  }

  // ─── Publishing ─────────────────────────────────────────────────────────────────────────────────
  function failed(code: string, reason: string): PublishProgress {
    return { kind: "failed", code, reason };
  }

  function published(data: PublishData, postId: string): { kind: "published"; externalId: string; permalink: string | null } {
    return { kind: "published", externalId: postId, permalink: data.username ? `https://www.tiktok.com/@${data.username}/video/${postId}` : null };
  }

  async function creatorInfoPhase(credentials: SocialCredentials, request: PublishRequest): Promise<PublishProgress> {
    const video = request.media[0];
    if (request.media.length !== 1 || !video || video.kind !== "VIDEO") return failed("media_not_supported", "O TikTok publica exatamente um vídeo por post.");
    // TikTok requires asking creator_info right before each post: the privacy options and the
    // maximum duration are the creator's, and change (an unaudited app may only post privately).
    const info = await openApi<CreatorInfo>("/v2/post/publish/creator_info/query/", { token: credentials.accessToken, json: {} });
    const options = info.privacy_level_options ?? [];
    const privacy = request.privacy ?? (options.includes("PUBLIC_TO_EVERYONE") ? "PUBLIC_TO_EVERYONE" : options[0]);
    if (!privacy || !options.includes(privacy)) {
      const allowed = options.length > 0 ? options.join(", ") : "nenhuma";
      return failed(
        "privacy_level_option_mismatch",
        options.length === 1 && options[0] === "SELF_ONLY"
          ? `Esta conta do TikTok só permite publicar como privado (SELF_ONLY) enquanto o app não for auditado pelo TikTok; escolha "SELF_ONLY" ou aguarde a auditoria.`
          : `A privacidade ${privacy ?? "(nenhuma)"} não está disponível para esta conta do TikTok. Opções permitidas: ${allowed}.`,
      );
    }
    const maxSec = info.max_video_post_duration_sec;
    if (maxSec && video.durationMs !== null && video.durationMs > maxSec * 1000) {
      return failed("duration_check_failed", `O vídeo tem ${Math.round(video.durationMs / 1000)} s; esta conta do TikTok publica vídeos de até ${maxSec} s.`);
    }
    const source = pullHosts.has(hostOf(video.url)) ? "PULL_FROM_URL" : "FILE_UPLOAD";
    const data: PublishData = {
      privacy,
      // A setting the creator switched off in the app cannot be switched on by the post.
      disableComment: info.comment_disabled === true,
      disableDuet: info.duet_disabled === true,
      disableStitch: info.stitch_disabled === true,
      username: info.creator_username,
      source,
      startedAt: Date.now(),
    };
    return { kind: "next", state: { phase: "init", data } };
  }

  function hostOf(url: string): string {
    try {
      return new URL(url).hostname;
    } catch {
      return "";
    }
  }

  async function initPhase(credentials: SocialCredentials, request: PublishRequest, data: PublishData): Promise<PublishProgress> {
    const video = request.media[0]!;
    const postInfo = {
      title: request.caption,
      privacy_level: data.privacy,
      disable_comment: !!data.disableComment,
      disable_duet: !!data.disableDuet,
      disable_stitch: !!data.disableStitch,
    };
    if (data.source === "PULL_FROM_URL") {
      // Under PULL_FROM_URL the init itself starts the post: a lost answer may mean it is live.
      const answer = await openApi<{ publish_id?: string }>("/v2/post/publish/video/init/", {
        token: credentials.accessToken,
        json: { post_info: postInfo, source_info: { source: "PULL_FROM_URL", video_url: video.url } },
        live: true,
      });
      if (!answer.publish_id) throw new ConnectorError("outcome_unknown", "TikTok video/init: no publish_id in the answer; the post may be live");
      return { kind: "next", state: { phase: "status", data: { ...data, publishId: answer.publish_id } } };
    }
    const plan = planChunks(video.sizeBytes, config.chunkSize ?? TIKTOK_DEFAULT_CHUNK_BYTES);
    // A FILE_UPLOAD init whose answer is lost is safe to redo (a plain transient error): no byte
    // was sent, and a publish without its bytes never goes live — the orphan just expires.
    const answer = await openApi<{ publish_id?: string; upload_url?: string }>("/v2/post/publish/video/init/", {
      token: credentials.accessToken,
      json: { post_info: postInfo, source_info: { source: "FILE_UPLOAD", video_size: plan.videoSize, chunk_size: plan.chunkSize, total_chunk_count: plan.totalChunkCount } },
    });
    if (!answer.publish_id || !answer.upload_url) throw new ConnectorError("transient", "TikTok video/init: the answer has no publish_id/upload_url", { retryAfterMs: 1_000 });
    return { kind: "next", state: { phase: "upload", data: { ...data, plan, publishId: answer.publish_id, uploadUrl: answer.upload_url, nextChunk: 0 } } };
  }

  async function uploadPhase(request: PublishRequest, data: PublishData): Promise<PublishProgress> {
    const plan = data.plan!;
    const index = data.nextChunk ?? 0;
    const { start, end } = chunkRange(plan, index);
    const last = index === plan.totalChunkCount - 1;
    const bytes = await request.media[0]!.read(start, end);
    if (bytes.byteLength !== end - start) throw new ConnectorError("transient", `TikTok upload: read ${bytes.byteLength} bytes of chunk ${index}, expected ${end - start}`);
    const where = `PUT upload chunk ${index + 1}/${plan.totalChunkCount}`;
    // The last chunk is what makes the post go live: a lost answer there is outcome_unknown.
    const response = await send(
      data.uploadUrl!,
      {
        method: "PUT",
        headers: { "content-type": "video/mp4", "content-length": String(bytes.byteLength), "content-range": `bytes ${start}-${end - 1}/${plan.videoSize}` },
        body: bytes as Uint8Array<ArrayBuffer>,
      },
      where,
      { live: last, timeout: uploadTimeoutMs },
    );
    const body = response.status === 201 || response.status === 206 ? null : ((await parse(response, where, last)) as OpenApiBody<unknown> | null);
    if (response.status === 201 || (response.status === 206 && !last)) {
      await response.body?.cancel();
      if (last) return { kind: "next", state: { phase: "status", data: { ...data, nextChunk: index + 1 } } };
      return { kind: "next", state: { phase: "upload", data: { ...data, nextChunk: index + 1 } } };
    }
    const code = body?.error?.code;
    const message = `TikTok ${where}: ${response.status} ${code ?? ""}${body?.error?.message ? ` (${body.error.message})` : ""}`.trim();
    if (response.status >= 500 || response.status === 206) {
      if (last) throw new ConnectorError("outcome_unknown", `${message}; the post may be live`, { status: response.status, code });
      throw new ConnectorError("transient", message, { status: response.status, code, retryAfterMs: 1_000 });
    }
    if (response.status === 429) throw new ConnectorError("rate_limited", message, { status: 429, code, retryAfterMs: retryAfterMs(response.headers.get("retry-after")) });
    if (response.status === 404) {
      // The upload URL expired (TikTok keeps it for an hour): start over with a new init.
      return { kind: "next", state: { phase: "init", data: { ...data, plan: undefined, publishId: undefined, uploadUrl: undefined, nextChunk: undefined } } };
    }
    return failed(code ?? `http_${response.status}`, `O TikTok recusou o envio do vídeo: ${body?.error?.message ?? response.statusText}`);
  }

  async function fetchStatus(credentials: SocialCredentials, publishId: string): Promise<StatusData> {
    return openApi<StatusData>("/v2/post/publish/status/fetch/", { token: credentials.accessToken, json: { publish_id: publishId } });
  }

  async function statusPhase(credentials: SocialCredentials, data: PublishData): Promise<PublishProgress> {
    const status = await fetchStatus(credentials, data.publishId!);
    const state = (extra: PublishData = {}): PublishState => ({ phase: "status", data: { ...data, ...extra } });
    switch (status.status) {
      case "PROCESSING_UPLOAD":
      case "PROCESSING_DOWNLOAD":
        return { kind: "wait", state: state(), retryAfterMs: PROCESSING_POLL_MS };
      case "FAILED":
        return failed(status.fail_reason ?? "failed", readableFailReason(status.fail_reason));
      case "SEND_TO_USER_INBOX":
        return failed("send_to_user_inbox", "O vídeo foi para a caixa de entrada do TikTok do criador: conclua a publicação no aplicativo do TikTok.");
      case "PUBLISH_COMPLETE": {
        const postId = status.publicaly_available_post_id?.[0];
        if (postId !== undefined) return published(data, String(postId));
        const since = data.completeSince ?? Date.now();
        // A private post never gets a public id; a public one after moderation. Past the wait, the
        // post is live anyway: record it under its publish_id rather than leave it "publishing".
        if (data.privacy === "SELF_ONLY" || Date.now() - since >= moderationWaitMs) return { kind: "published", externalId: data.publishId!, permalink: null };
        return { kind: "wait", state: state({ completeSince: since }), retryAfterMs: MODERATION_POLL_MS };
      }
      default:
        return { kind: "wait", state: state(), retryAfterMs: PROCESSING_POLL_MS };
    }
  }

  async function advancePublish(credentials: SocialCredentials, request: PublishRequest, state: PublishState | null): Promise<PublishProgress> {
    const data = (state?.data ?? {}) as PublishData;
    try {
      switch (state?.phase ?? "creator_info") {
        case "creator_info":
          return await creatorInfoPhase(credentials, request);
        case "init":
          return await initPhase(credentials, request, data);
        case "upload":
          return await uploadPhase(request, data);
        case "status":
          return await statusPhase(credentials, data);
        default:
          return failed("unknown_phase", `Fase de publicação desconhecida: ${state?.phase}`);
      }
    } catch (error) {
      // A business refusal is final for this post: say why in words, do not retry.
      if (error instanceof ConnectorError && error.kind === "refused") return failed(error.details.code ?? "refused", refusalReason(error));
      throw error;
    }
  }

  function refusalReason(error: ConnectorError): string {
    switch (error.details.code) {
      case "unaudited_client_can_only_post_to_private_accounts":
        return "Enquanto o app não for auditado pelo TikTok, só é possível publicar como privado (SELF_ONLY).";
      case "privacy_level_option_mismatch":
        return "A privacidade escolhida não está entre as opções desta conta do TikTok.";
      case "url_ownership_unverified":
        return "O domínio do link do vídeo não está verificado no TikTok.";
      case "spam_risk_user_banned_from_posting":
        return FAIL_REASONS.spam_risk_user_banned_from_posting!;
      case "scope_not_authorized":
        return "A conta do TikTok não autorizou a publicação de vídeos; reconecte a conta.";
      default:
        return `O TikTok recusou a publicação: ${error.message}`;
    }
  }

  async function confirmPublish(credentials: SocialCredentials, request: PublishRequest, state: PublishState): Promise<PublishConfirmation> {
    const data = state.data as PublishData;
    if (data.publishId && (state.phase === "upload" || state.phase === "status")) {
      const status = await fetchStatus(credentials, data.publishId);
      const plan = data.plan;
      if (status.status === "PUBLISH_COMPLETE") {
        const postId = status.publicaly_available_post_id?.[0];
        if (postId !== undefined) return published(data, String(postId));
        // Live but not yet moderated: keep polling status (never redo the upload).
        return { kind: "not_published", state: { phase: "status", data } };
      }
      if (status.status === "PROCESSING_UPLOAD" && plan && (status.uploaded_bytes ?? 0) < plan.videoSize) {
        // The last chunk never arrived: resume the upload from the first missing chunk.
        const nextChunk = Math.min(plan.totalChunkCount - 1, Math.floor((status.uploaded_bytes ?? 0) / plan.chunkSize));
        return { kind: "not_published", state: { phase: "upload", data: { ...data, nextChunk } } };
      }
      if (status.status === "FAILED") {
        // Processing refused it: not live. Going on from "status" reports the readable failure.
        return { kind: "not_published", state: { phase: "status", data } };
      }
      // PROCESSING_* with every byte received, or SEND_TO_USER_INBOX: the post is on its way; follow it.
      return { kind: "not_published", state: { phase: "status", data } };
    }
    if (state.phase === "init" && data.source === "PULL_FROM_URL") return confirmPulledInit(credentials, request, state);
    // creator_info, or a FILE_UPLOAD init (no byte sent): nothing can be live.
    return { kind: "not_published", state };
  }

  /**
   * A PULL_FROM_URL init whose answer was lost left us without a publish_id: the only witness is
   * the creator's video list. A public post shows up there after moderation (matched by caption and
   * time); until the window passes we cannot tell, so we say so (transient) rather than guess.
   */
  async function confirmPulledInit(credentials: SocialCredentials, request: PublishRequest, state: PublishState): Promise<PublishConfirmation> {
    const data = state.data as PublishData;
    const since = data.startedAt ?? 0;
    const { posts } = await listPostsPage(credentials, null);
    const match = posts.find((p) => p.caption === request.caption && p.publishedAt.getTime() >= since - 60_000);
    if (match) return { kind: "published", externalId: match.externalId, permalink: match.permalink };
    if (data.privacy !== "SELF_ONLY" && Date.now() - since < PULL_CONFIRM_WINDOW_MS) {
      throw new ConnectorError("transient", "TikTok: cannot tell yet whether the pulled video went live", { code: "confirm_pending", retryAfterMs: MODERATION_POLL_MS });
    }
    return { kind: "not_published", state: { phase: "init", data: { ...data, startedAt: Date.now() } } };
  }

  // ─── Reading ────────────────────────────────────────────────────────────────────────────────────
  async function listPostsPage(credentials: SocialCredentials, cursor: string | null): Promise<{ posts: SocialPost[]; nextCursor: string | null }> {
    const data = await openApi<{ videos?: TikTokVideo[]; cursor?: number; has_more?: boolean }>(`/v2/video/list/?fields=${VIDEO_FIELDS}`, {
      token: credentials.accessToken,
      json: { max_count: 20, ...(cursor ? { cursor: Number(cursor) } : {}) },
    });
    const posts = (data.videos ?? []).map<SocialPost>((v) => ({
      externalId: String(v.id),
      caption: v.title ?? v.video_description ?? "",
      permalink: v.share_url ?? null,
      publishedAt: new Date((v.create_time ?? 0) * 1000),
    }));
    return { posts, nextCursor: data.has_more && data.cursor !== undefined ? String(data.cursor) : null };
  }

  async function getPostMetrics(credentials: SocialCredentials, externalIds: string[]): Promise<PostMetrics[]> {
    const out: PostMetrics[] = [];
    // Posts recorded under their publish_id (private, never moderated) have no public metrics.
    const ids = [...new Set(externalIds.filter((id) => /^\d+$/.test(id)))];
    for (let i = 0; i < ids.length; i += 20) {
      const data = await openApi<{ videos?: TikTokVideo[] }>(`/v2/video/query/?fields=${VIDEO_FIELDS}`, {
        token: credentials.accessToken,
        json: { filters: { video_ids: ids.slice(i, i + 20) } },
      });
      for (const v of data.videos ?? []) {
        out.push({
          externalId: String(v.id),
          views: v.view_count ?? 0,
          // The Display API has no reach or saves for a video.
          reach: 0,
          likes: v.like_count ?? 0,
          comments: v.comment_count ?? 0,
          shares: v.share_count ?? 0,
          saves: 0,
        });
      }
    }
    return out;
  }

  async function getAccountMetrics(credentials: SocialCredentials, from: Date, to: Date): Promise<AccountDailyMetrics[]> {
    const data = await businessApi<{ metrics?: Array<Record<string, number | string>> }>("/open_api/v1.3/business/get/", {
      token: credentials.accessToken,
      query: {
        business_id: credentials.externalAccountId,
        start_date: day(from),
        end_date: day(to),
        fields: JSON.stringify(["followers_count", "video_views", "profile_views", "likes", "comments", "shares"]),
      },
    });
    const num = (v: unknown) => (typeof v === "number" ? v : Number(v ?? 0) || 0);
    return (data.metrics ?? []).map((m) => ({
      date: String(m.date),
      followers: num(m.followers_count),
      views: num(m.video_views),
      // TikTok reports no daily reach for an account.
      reach: 0,
      profileViews: num(m.profile_views),
      engagements: num(m.likes) + num(m.comments) + num(m.shares),
    }));
  }

  /** `accountId`: the connected account, the author of comments TikTok flags as the owner's. */
  function toComment(c: BusinessComment, accountId: string): SocialComment {
    const createTime = typeof c.create_time === "string" ? Number(c.create_time) : (c.create_time ?? 0);
    // A top-level comment carries the video id as its parent.
    const parent = c.parent_comment_id && c.parent_comment_id !== c.video_id ? tiktokCommentExternalId(c.video_id, c.parent_comment_id) : null;
    return {
      externalId: tiktokCommentExternalId(c.video_id, c.comment_id),
      postExternalId: c.video_id,
      parentExternalId: parent,
      authorExternalId: c.owner ? accountId : (c.user_id ?? ""),
      authorName: c.display_name ?? c.username ?? "",
      text: c.text ?? "",
      createdAt: new Date(createTime * 1000),
      hidden: c.status === "HIDDEN",
    };
  }

  /**
   * One page across several videos: the cursor is "{video index}:{provider cursor}". Comments come
   * newest first, so a page reaching `since` ends that video and moves on to the next one.
   */
  async function listComments(credentials: SocialCredentials, query: { postExternalIds: string[]; since: Date | null; cursor: string | null }) {
    // Private posts recorded under their publish_id have no public video to read comments from.
    const videoIds = query.postExternalIds.filter((id) => /^\d+$/.test(id));
    const [indexPart, providerCursor] = (query.cursor ?? "0:0").split(":");
    let index = Number(indexPart) || 0;
    let cursor = Number(providerCursor) || 0;
    while (index < videoIds.length) {
      const videoId = videoIds[index]!;
      let data: { comments?: BusinessComment[]; cursor?: number; has_more?: boolean };
      try {
        data = await businessApi("/open_api/v1.3/business/comment/list/", {
          token: credentials.accessToken,
          query: { business_id: credentials.externalAccountId, video_id: videoId, cursor: String(cursor), max_count: String(BUSINESS_PAGE) },
        });
      } catch (error) {
        // A video deleted on TikTok (or no longer the account's) must not stop the poll of the others.
        if (!(error instanceof ConnectorError) || (error.kind !== "refused" && error.kind !== "not_found")) throw error;
        data = {};
      }
      // The account's own comments (our replies) are listed too: confirming a reply whose send
      // outcome was lost looks for it here, and inbound storage marks them as from the account.
      const all = (data.comments ?? []).map((c) => toComment(c, credentials.externalAccountId));
      const fresh = query.since ? all.filter((c) => c.createdAt > query.since!) : all;
      const reachedSince = fresh.length < all.length;
      const more = !!data.has_more && !reachedSince;
      const nextCursor = more ? `${index}:${data.cursor ?? cursor + all.length}` : index + 1 < videoIds.length ? `${index + 1}:0` : null;
      if (fresh.length > 0 || !nextCursor) return { comments: fresh, nextCursor };
      [index, cursor] = more ? [index, data.cursor ?? cursor + all.length] : [index + 1, 0];
    }
    return { comments: [], nextCursor: null };
  }

  return {
    provider: "TIKTOK",
    isSandbox: config.isSandbox,
    limits: NETWORK_LIMITS.TIKTOK,
    commentsDelivery: "polling",
    publishQuotaCost: null,

    authorizationUrl(request: AuthorizationRequest): string {
      const params = new URLSearchParams({
        client_key: config.clientKey,
        scope: TIKTOK_SCOPES.join(","),
        response_type: "code",
        redirect_uri: request.redirectUri,
        state: request.state,
      });
      if (request.codeChallenge) {
        params.set("code_challenge", request.codeChallenge);
        params.set("code_challenge_method", "S256");
      }
      return `${authUrl}/v2/auth/authorize/?${params.toString()}`;
    },

    async exchangeCode(request: CodeExchange): Promise<TokenSet> {
      const tokens = await tokenCall({
        code: request.code,
        grant_type: "authorization_code",
        redirect_uri: request.redirectUri,
        ...(request.codeVerifier ? { code_verifier: request.codeVerifier } : {}),
      });
      return { ...tokens, accountName: await displayName(tokens.accessToken) };
    },

    async refresh(refreshToken: string, account: { externalAccountId: string }): Promise<TokenSet> {
      // TikTok rotates: the answer's refresh_token replaces the one sent, which stops working.
      const tokens = await tokenCall({ grant_type: "refresh_token", refresh_token: refreshToken });
      return { ...tokens, externalAccountId: tokens.externalAccountId || account.externalAccountId };
    },

    async getPublishingQuota() {
      // TikTok publishes no live quota; its daily cap shows up as spam_risk_too_many_posts.
      return null;
    },
    advancePublish,
    confirmPublish,

    getPostMetrics,
    getAccountMetrics,
    listPosts: listPostsPage,
    listComments,

    async replyToComment(credentials, target) {
      const { videoId, commentId } = target.commentExternalId.includes(":")
        ? splitCommentId(target.commentExternalId)
        : { videoId: target.postExternalId, commentId: target.commentExternalId };
      const data = await businessApi<{ comment_id?: string }>("/open_api/v1.3/business/comment/reply/create/", {
        token: credentials.accessToken,
        json: { business_id: credentials.externalAccountId, video_id: videoId, comment_id: commentId, text: target.text },
      });
      if (!data.comment_id) throw new ConnectorError("transient", "TikTok comment/reply/create: no comment_id in the answer", { retryAfterMs: 1_000 });
      return { externalId: tiktokCommentExternalId(videoId, data.comment_id) };
    },

    async setCommentHidden(credentials, commentExternalId, hidden) {
      const { videoId, commentId } = splitCommentId(commentExternalId);
      await businessApi("/open_api/v1.3/business/comment/hide/", {
        token: credentials.accessToken,
        json: { business_id: credentials.externalAccountId, video_id: videoId, comment_id: commentId, action: hidden ? "HIDE" : "UNHIDE" },
      });
    },

    // TikTok has no comment webhooks: comments are polled.
    verifyWebhook(_webhook: InboundWebhook): boolean {
      return false;
    },
    answerWebhookChallenge(): string | null {
      return null;
    },
    parseWebhook(): [] {
      return [];
    },
  };
}
