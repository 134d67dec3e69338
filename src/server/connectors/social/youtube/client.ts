import { NETWORK_LIMITS } from "~/lib/social/networks";
import { zonedParts, zonedWallTimeToUtc } from "~/lib/time/zoned";

import { ConnectorError, type TokenSet } from "../../common";
import type {
  AccountDailyMetrics,
  PostMetrics,
  PublishProgress,
  PublishRequest,
  PublishState,
  SocialComment,
  SocialConnector,
  SocialCredentials,
  SocialPost,
} from "../types";

/**
 * YouTube client: Google OAuth 2.0 (accounts.google.com + oauth2.googleapis.com), the YouTube Data
 * API v3 (www.googleapis.com, resumable uploads included) and YouTube Analytics v2. The same code
 * talks to the built-in sandbox given its base URLs. Facts it follows are in FACTS.md and
 * docs/social-youtube.md. It never logs, and its errors never carry tokens or session URIs.
 *
 * Publishing phases (state.phase), one HTTP call each so the service persists progress between them:
 *   open       POST the resumable session (publishes nothing: safe to redo)
 *   upload     PUT one chunk from the server-confirmed offset (the last chunk is the live-making one)
 *   resume     PUT `bytes *\/total` after an interrupted chunk: continue from what the server HAS
 *   processing GET videos.list status until processed / rejected / failed
 */
export type YouTubeConfig = {
  /** https://www.googleapis.com (Data API and uploads). */
  apiUrl: string;
  /** https://youtubeanalytics.googleapis.com */
  analyticsUrl: string;
  /** https://accounts.google.com (consent page). */
  oauthUrl: string;
  /** https://oauth2.googleapis.com (token endpoint). */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  isSandbox: boolean;
  fetch?: typeof fetch;
  /** Per-request timeout of API calls. Default 15 s. */
  timeoutMs?: number;
  /** Per-chunk timeout of upload PUTs. Default 120 s. */
  uploadTimeoutMs?: number;
  /** Upload chunk size: a multiple of 256 KiB. Default 8 MiB. */
  chunkSize?: number;
  /** Units a videos.insert costs (older docs: 1 600) and the project's daily units. */
  insertQuotaCost?: number;
  dailyQuotaUnits?: number;
  /** Now in ms (tests align it with the sandbox's clock). */
  clock?: () => number;
};

export const YOUTUBE_OAUTH_SCOPES = [
  "https://www.googleapis.com/auth/youtube.upload",
  "https://www.googleapis.com/auth/youtube.force-ssl",
  "https://www.googleapis.com/auth/yt-analytics.readonly",
];

const CHUNK_GRANULARITY = 256 * 1024;
const DEFAULT_CHUNK = 8 * 1024 * 1024;
const QUOTA_ZONE = "America/Los_Angeles";
const DAY_MS = 86_400_000;
/** Google sends no Retry-After on rate limits: back off this long. */
const DEFAULT_RATE_RETRY_MS = 5_000;
/** "People & Blogs", the category YouTube's own uploader defaults to. */
const CATEGORY_ID = "22";
const IDS_PER_CALL = 50;
/** A chunk refused as malformed this many times in a row means a bug, not a glitch: stop. */
const MAX_BAD_CHUNKS = 3;

type GoogleErrorBody = {
  error?: string | { code?: number; message?: string; status?: string; errors?: Array<{ reason?: string; domain?: string; message?: string }> };
  error_description?: string;
};

type TokenResponse = { access_token: string; expires_in: number; refresh_token?: string; refresh_token_expires_in?: number; scope?: string; token_type: string };

type VideoResource = {
  id: string;
  snippet?: { title?: string; description?: string; publishedAt?: string };
  status?: { uploadStatus?: string; privacyStatus?: string; rejectionReason?: string; failureReason?: string };
  processingDetails?: { processingStatus?: string; processingProgress?: { timeLeftMs?: string } };
  statistics?: { viewCount?: string; likeCount?: string; commentCount?: string };
};

type CommentResource = {
  id: string;
  snippet: {
    videoId?: string;
    parentId?: string;
    textOriginal?: string;
    textDisplay?: string;
    authorDisplayName?: string;
    authorChannelId?: { value?: string };
    publishedAt: string;
    moderationStatus?: string;
  };
};

type CommentThread = {
  id: string;
  snippet: { videoId?: string; topLevelComment: CommentResource; totalReplyCount?: number };
  replies?: { comments: CommentResource[] };
};

/** The parts of a finished publish worth telling the seller (unverified projects lock uploads private). */
export type YouTubePublished = Extract<PublishProgress, { kind: "published" }> & { privacyStatus: string | null; forcedPrivate: boolean };

const REJECTION_TEXT: Record<string, string> = {
  claim: "YouTube rejected the video: it is claimed by a rights owner.",
  copyright: "YouTube rejected the video for copyright infringement.",
  duplicate: "YouTube rejected the video as a duplicate of one already on the channel.",
  inappropriate: "YouTube rejected the video as inappropriate.",
  legal: "YouTube rejected the video for legal reasons.",
  length: "YouTube rejected the video: it is longer than the channel may upload (verify the channel for videos over 15 minutes).",
  termsOfUse: "YouTube rejected the video for violating its Terms of Service.",
  trademark: "YouTube rejected the video for trademark infringement.",
  uploaderAccountClosed: "YouTube rejected the video: the channel's account is closed.",
  uploaderAccountSuspended: "YouTube rejected the video: the channel's account is suspended.",
};

const FAILURE_TEXT: Record<string, string> = {
  codec: "YouTube could not process the video: its codec is not supported.",
  conversion: "YouTube could not convert the video.",
  emptyFile: "YouTube received an empty file.",
  invalidFile: "YouTube could not read the file as a video.",
  tooSmall: "YouTube found the file too small to be a video.",
  uploadAborted: "The upload to YouTube was aborted.",
};

function num(value: string | undefined): number {
  const n = Number(value ?? 0);
  return Number.isFinite(n) ? n : 0;
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The instant of the next midnight in America/Los_Angeles after `now` (when the daily quota resets). */
export function nextPacificMidnight(now: number): Date {
  const p = zonedParts(new Date(now), QUOTA_ZONE);
  const tomorrow = new Date(Date.UTC(p.year, p.month - 1, p.day + 1)).toISOString().slice(0, 10);
  return zonedWallTimeToUtc(tomorrow, "00:00", QUOTA_ZONE);
}

/** Google's messages sometimes carry HTML links ("exceeded your <a href=…>quota</a>"). */
function plain(text: string): string {
  return text.replace(/<[^>]*>/g, "").trim();
}

/** Last byte index from a `Range: bytes=0-N` header → the next offset to send (N + 1). */
function offsetFromRange(header: string | null): number {
  const m = /bytes=0-(\d+)/.exec(header ?? "");
  return m ? Number(m[1]) + 1 : 0;
}

function hashtagsOf(text: string): string[] {
  const tags = [...text.matchAll(/#([\p{L}\p{N}_]+)/gu)].map((m) => m[1]!);
  const unique = [...new Set(tags)];
  // YouTube caps the tags field at 500 characters in total.
  const out: string[] = [];
  let length = 0;
  for (const tag of unique) {
    if (length + tag.length + 1 > 500) break;
    out.push(tag);
    length += tag.length + 1;
  }
  return out;
}

function permalinkOf(videoId: string): string {
  return `https://www.youtube.com/watch?v=${videoId}`;
}

export function createYouTubeConnector(config: YouTubeConfig): SocialConnector {
  const apiUrl = config.apiUrl.replace(/\/+$/, "");
  const analyticsUrl = config.analyticsUrl.replace(/\/+$/, "");
  const oauthUrl = config.oauthUrl.replace(/\/+$/, "");
  const tokenUrl = config.tokenUrl.replace(/\/+$/, "");
  const doFetch = config.fetch ?? fetch;
  const timeoutMs = config.timeoutMs ?? 15_000;
  const uploadTimeoutMs = config.uploadTimeoutMs ?? 120_000;
  const chunkSize = config.chunkSize ?? DEFAULT_CHUNK;
  if (chunkSize <= 0 || chunkSize % CHUNK_GRANULARITY !== 0) throw new Error("YouTube chunkSize must be a positive multiple of 256 KiB");
  const clock = config.clock ?? Date.now;
  const insertCost = config.insertQuotaCost ?? 1_600;
  const dailyUnits = config.dailyQuotaUnits ?? 10_000;

  type Sent = { response: Response; text: string; parsed: unknown };

  /** One HTTP exchange; network failures and timeouts become `transient` (callers upgrade where needed). */
  async function send(url: string, where: string, init: RequestInit & { timeout?: number }): Promise<Sent> {
    let response: Response;
    let text: string;
    try {
      response = await doFetch(url, { ...init, signal: AbortSignal.timeout(init.timeout ?? timeoutMs), redirect: "manual" });
      text = await response.text();
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
      throw new ConnectorError("transient", `YouTube ${where}: ${timedOut ? `no answer within ${init.timeout ?? timeoutMs} ms` : "network error"}`, {
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
    return { response, text, parsed };
  }

  /** Maps a non-2xx answer to the ConnectorError a background function can act on. */
  function failure(where: string, sent: Sent): ConnectorError {
    const { response, parsed } = sent;
    const body = parsed && typeof parsed === "object" ? (parsed as GoogleErrorBody) : null;
    const status = response.status;
    // OAuth endpoints answer {error: "invalid_grant", error_description}.
    if (body && typeof body.error === "string") {
      const message = `YouTube ${where}: ${status} ${body.error}${body.error_description ? ` (${body.error_description})` : ""}`;
      const details = { status, code: body.error };
      if (body.error === "invalid_grant") return new ConnectorError("invalid_grant", message, details);
      if (status >= 500) return new ConnectorError("transient", message, { ...details, retryAfterMs: 1_000 });
      // Wrong client id/secret or redirect: configuration, not something a retry or refresh fixes.
      return new ConnectorError("refused", message, details);
    }
    const error = body && typeof body.error === "object" ? body.error : null;
    const first = error?.errors?.[0];
    const reason = first?.reason ?? error?.status ?? undefined;
    const text = plain(error?.message ?? first?.message ?? response.statusText);
    const message = `YouTube ${where}: ${status}${reason ? ` ${reason}` : ""}: ${text}`;
    const details = { status, code: reason };
    if (reason === "quotaExceeded" || reason === "dailyLimitExceeded") {
      const now = clock();
      return new ConnectorError("rate_limited", message, { status, code: "quota_exhausted", retryAfterMs: Math.max(1_000, nextPacificMidnight(now).getTime() - now) });
    }
    if (status === 429 || reason === "rateLimitExceeded" || reason === "userRateLimitExceeded") {
      const header = response.headers.get("retry-after");
      const seconds = header ? Number(header) : NaN;
      return new ConnectorError("rate_limited", message, { ...details, retryAfterMs: Number.isFinite(seconds) ? Math.max(1_000, seconds * 1000) : DEFAULT_RATE_RETRY_MS });
    }
    if (status >= 500) return new ConnectorError("transient", message, { ...details, retryAfterMs: 1_000 });
    if (status === 401) return new ConnectorError("unauthorized", message, details);
    if (status === 404) return new ConnectorError("not_found", message, details);
    return new ConnectorError("refused", message, details);
  }

  async function json<T>(url: string, where: string, init: { method?: string; token?: string; form?: Record<string, string>; body?: unknown } = {}): Promise<T> {
    const headers = new Headers({ accept: "application/json" });
    let body: string | undefined;
    if (init.token) headers.set("authorization", `Bearer ${init.token}`);
    if (init.form) {
      headers.set("content-type", "application/x-www-form-urlencoded");
      body = new URLSearchParams(init.form).toString();
    } else if (init.body !== undefined) {
      headers.set("content-type", "application/json");
      body = JSON.stringify(init.body);
    }
    const sent = await send(url, where, { method: init.method ?? (body ? "POST" : "GET"), headers, body });
    if (!sent.response.ok) throw failure(where, sent);
    if (sent.parsed === null && sent.text) throw new ConnectorError("transient", `YouTube ${where}: answer is not JSON`, { status: sent.response.status });
    return sent.parsed as T;
  }

  function data<T>(path: string, credentials: SocialCredentials, params: Record<string, string>, init: { method?: string; body?: unknown } = {}): Promise<T> {
    const resource = path.split("?")[0]!;
    return json<T>(`${apiUrl}/youtube/v3${path}?${new URLSearchParams(params).toString()}`, `${init.method ?? "GET"} ${resource}`, { ...init, token: credentials.accessToken });
  }

  // ─── OAuth ──────────────────────────────────────────────────────────────────────────────────
  function tokenSet(response: TokenResponse, externalAccountId: string, accountName?: string): TokenSet {
    const now = clock();
    return {
      accessToken: response.access_token,
      // Google sends a refresh token on (forced) consent only; a refresh never carries a new one.
      refreshToken: response.refresh_token ?? null,
      expiresAt: new Date(now + response.expires_in * 1000),
      // Google's refresh tokens have no fixed expiry (they die unused for 6 months), except in testing mode.
      refreshExpiresAt: response.refresh_token_expires_in ? new Date(now + response.refresh_token_expires_in * 1000) : null,
      scopes: (response.scope ?? "").split(/\s+/).filter(Boolean),
      externalAccountId,
      ...(accountName ? { accountName } : {}),
    };
  }

  async function tokenCall(form: Record<string, string>, where: string): Promise<TokenResponse> {
    return json<TokenResponse>(`${tokenUrl}/token`, where, { form: { ...form, client_id: config.clientId, client_secret: config.clientSecret } });
  }

  // ─── Publishing ─────────────────────────────────────────────────────────────────────────────
  type UploadData = { sessionUri: string; total: number; offset: number; mimeType: string; privacy: string; badChunks?: number };

  function uploadData(state: PublishState): UploadData {
    const d = state.data as Partial<UploadData>;
    if (typeof d.sessionUri !== "string" || typeof d.total !== "number" || typeof d.offset !== "number") {
      throw new ConnectorError("refused", "YouTube publish state is missing its upload session", { code: "bad_state" });
    }
    return { sessionUri: d.sessionUri, total: d.total, offset: d.offset, mimeType: d.mimeType ?? "video/mp4", privacy: d.privacy ?? "public", badChunks: d.badChunks ?? 0 };
  }

  const restart = (): PublishState => ({ phase: "open", data: {} });

  function processingState(video: VideoResource, privacy: string): PublishState {
    return { phase: "processing", data: { videoId: video.id, privacy } };
  }

  async function openSession(credentials: SocialCredentials, request: PublishRequest): Promise<PublishProgress> {
    const media = request.media[0];
    if (request.media.length !== 1 || !media || media.kind !== "VIDEO") {
      return { kind: "failed", code: "media_not_supported", reason: "YouTube takes exactly one video per post." };
    }
    const limits = NETWORK_LIMITS.YOUTUBE;
    if (!limits.video!.mimeTypes.includes(media.mimeType)) {
      return { kind: "failed", code: "media_not_supported", reason: `YouTube does not take ${media.mimeType} files.` };
    }
    const title = (request.title ?? "").trim();
    if (!title) return { kind: "failed", code: "title_required", reason: "YouTube needs a title for the video." };
    // YouTube refuses these with invalidTitle / invalidDescription; no need to spend a call on it.
    if ([...title].length > limits.title!.maxLength || /[<>]/.test(title)) {
      return { kind: "failed", code: "invalidTitle", reason: `YouTube refuses titles over ${limits.title!.maxLength} characters or with < or >.` };
    }
    if (new TextEncoder().encode(request.caption).length > limits.captionMaxLength || /[<>]/.test(request.caption)) {
      return { kind: "failed", code: "invalidDescription", reason: `YouTube refuses descriptions over ${limits.captionMaxLength} bytes or with < or >.` };
    }
    const privacy = request.privacy ?? "public";
    if (!limits.privacyOptions.includes(privacy)) return { kind: "failed", code: "invalid_privacy", reason: `YouTube has no privacy setting "${privacy}".` };
    const url = `${apiUrl}/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status`;
    const headers = new Headers({
      accept: "application/json",
      authorization: `Bearer ${credentials.accessToken}`,
      "content-type": "application/json; charset=UTF-8",
      "x-upload-content-length": String(media.sizeBytes),
      "x-upload-content-type": media.mimeType,
    });
    const body = JSON.stringify({
      snippet: { title, description: request.caption, tags: hashtagsOf(request.caption), categoryId: CATEGORY_ID },
      status: { privacyStatus: privacy, selfDeclaredMadeForKids: false },
    });
    const sent = await send(url, "POST /upload/youtube/v3/videos", { method: "POST", headers, body });
    if (!sent.response.ok) {
      const error = failure("POST /upload/youtube/v3/videos", sent);
      if (error.kind === "refused") return { kind: "failed", code: error.details.code ?? "refused", reason: error.message };
      throw error;
    }
    const location = sent.response.headers.get("location");
    if (!location) throw new ConnectorError("transient", "YouTube POST /upload/youtube/v3/videos: no session URI in the answer", { status: sent.response.status });
    const data: UploadData = { sessionUri: new URL(location, url).toString(), total: media.sizeBytes, offset: 0, mimeType: media.mimeType, privacy };
    return { kind: "next", state: { phase: "upload", data } };
  }

  /** Reads an upload session's answer: done (the video), incomplete (server offset) or expired. */
  function sessionAnswer(sent: Sent): { kind: "done"; video: VideoResource } | { kind: "incomplete"; offset: number } | { kind: "expired" } | null {
    const status = sent.response.status;
    if (status === 200 || status === 201) {
      const video = sent.parsed as VideoResource | null;
      if (!video?.id) return null;
      return { kind: "done", video };
    }
    if (status === 308) return { kind: "incomplete", offset: offsetFromRange(sent.response.headers.get("range")) };
    if (status === 404 || status === 410) return { kind: "expired" };
    return null;
  }

  async function uploadChunk(credentials: SocialCredentials, request: PublishRequest, state: PublishState): Promise<PublishProgress> {
    const d = uploadData(state);
    const media = request.media[0]!;
    const start = d.offset;
    const end = Math.min(d.total, start + chunkSize);
    const isFinal = end === d.total;
    const bytes = await media.read(start, end);
    if (bytes.length !== end - start) throw new ConnectorError("transient", `Media read returned ${bytes.length} bytes instead of ${end - start}`, { code: "media_read" });
    const where = "PUT upload session";
    const headers = new Headers({
      authorization: `Bearer ${credentials.accessToken}`,
      "content-type": d.mimeType,
      "content-range": `bytes ${start}-${end - 1}/${d.total}`,
    });
    let sent: Sent;
    try {
      sent = await send(d.sessionUri, where, { method: "PUT", headers, body: bytes as Uint8Array<ArrayBuffer>, timeout: uploadTimeoutMs });
    } catch (error) {
      // The last byte makes the video: no answer means it may exist. Ask before anything else.
      if (isFinal) throw new ConnectorError("outcome_unknown", `YouTube ${where}: no answer to the final chunk`, { code: (error as ConnectorError).details?.code, cause: error });
      // The server may have kept part of the chunk: ask where it stands, then continue from there.
      return { kind: "wait", state: { phase: "resume", data: { ...d } }, retryAfterMs: 1_000 };
    }
    const answer = sessionAnswer(sent);
    if (answer?.kind === "done") return { kind: "wait", state: processingState(answer.video, d.privacy), retryAfterMs: 2_000 };
    if (answer?.kind === "incomplete") return { kind: "next", state: { phase: "upload", data: { ...d, offset: answer.offset, badChunks: 0 } } };
    if (answer?.kind === "expired") return { kind: "next", state: restart() };
    if (sent.response.ok) {
      // A success we cannot read (no video resource): on the last chunk the video may exist.
      if (isFinal) throw new ConnectorError("outcome_unknown", `YouTube ${where}: unreadable answer to the final chunk`, { status: sent.response.status });
      return { kind: "next", state: { phase: "resume", data: { ...d } } };
    }
    const error = failure(where, sent);
    if (error.kind === "transient") {
      if (isFinal) throw new ConnectorError("outcome_unknown", `${error.message} (final chunk)`, { ...error.details, cause: error });
      return { kind: "wait", state: { phase: "resume", data: { ...d } }, retryAfterMs: 1_000 };
    }
    if (error.kind === "refused") {
      // A chunk the server could not stitch (offsets out of step): resync with the server's offset.
      const badChunks = (d.badChunks ?? 0) + 1;
      if (badChunks >= MAX_BAD_CHUNKS) return { kind: "failed", code: error.details.code ?? "upload_refused", reason: error.message };
      return { kind: "next", state: { phase: "resume", data: { ...d, badChunks } } };
    }
    throw error;
  }

  /** `bytes *\/total`: where the server stands. Safe to repeat (publishes nothing). */
  async function querySession(credentials: SocialCredentials, d: UploadData) {
    const where = "PUT upload session (status)";
    const headers = new Headers({ authorization: `Bearer ${credentials.accessToken}`, "content-range": `bytes */${d.total}` });
    const sent = await send(d.sessionUri, where, { method: "PUT", headers, body: new Uint8Array(0) });
    const answer = sessionAnswer(sent);
    if (answer) return answer;
    throw failure(where, sent);
  }

  async function resume(credentials: SocialCredentials, state: PublishState): Promise<PublishProgress> {
    const d = uploadData(state);
    const answer = await querySession(credentials, d);
    if (answer.kind === "done") return { kind: "wait", state: processingState(answer.video, d.privacy), retryAfterMs: 2_000 };
    if (answer.kind === "expired") return { kind: "next", state: restart() };
    return { kind: "next", state: { phase: "upload", data: { ...d, offset: answer.offset } } };
  }

  async function pollProcessing(credentials: SocialCredentials, state: PublishState): Promise<PublishProgress> {
    const videoId = String(state.data.videoId ?? "");
    const requested = typeof state.data.privacy === "string" ? state.data.privacy : null;
    const list = await data<{ items?: VideoResource[] }>("/videos", credentials, { part: "status,processingDetails", id: videoId });
    const video = list.items?.[0];
    if (!video) return { kind: "failed", code: "video_missing", reason: "The uploaded video no longer exists on YouTube (deleted on the channel?)." };
    const status = video.status ?? {};
    switch (status.uploadStatus) {
      case "processed": {
        const privacyStatus = status.privacyStatus ?? null;
        const published: YouTubePublished = {
          kind: "published",
          externalId: video.id,
          permalink: permalinkOf(video.id),
          privacyStatus,
          // Unverified API projects get every upload locked private, whatever was asked.
          forcedPrivate: privacyStatus === "private" && requested !== null && requested !== "private",
        };
        return published;
      }
      case "rejected": {
        const reason = status.rejectionReason ?? "rejected";
        return { kind: "failed", code: reason, reason: REJECTION_TEXT[reason] ?? `YouTube rejected the video (${reason}).` };
      }
      case "failed": {
        const reason = status.failureReason ?? "failed";
        return { kind: "failed", code: reason, reason: FAILURE_TEXT[reason] ?? `YouTube could not process the video (${reason}).` };
      }
      case "deleted":
        return { kind: "failed", code: "deleted", reason: "The video was deleted on YouTube before it finished processing." };
      default: {
        const left = num(video.processingDetails?.processingProgress?.timeLeftMs);
        return { kind: "wait", state, retryAfterMs: Math.min(30_000, Math.max(1_000, left || 3_000)) };
      }
    }
  }

  // ─── Comments ───────────────────────────────────────────────────────────────────────────────
  function toComment(c: CommentResource, videoId: string): SocialComment {
    return {
      externalId: c.id,
      postExternalId: c.snippet.videoId ?? videoId,
      parentExternalId: c.snippet.parentId ?? null,
      authorExternalId: c.snippet.authorChannelId?.value ?? "",
      authorName: c.snippet.authorDisplayName ?? "",
      text: c.snippet.textOriginal ?? c.snippet.textDisplay ?? "",
      createdAt: new Date(c.snippet.publishedAt),
      hidden: c.snippet.moderationStatus === "heldForReview" || c.snippet.moderationStatus === "rejected",
    };
  }

  const connector: SocialConnector = {
    provider: "YOUTUBE",
    isSandbox: config.isSandbox,
    limits: NETWORK_LIMITS.YOUTUBE,
    commentsDelivery: "polling",
    publishQuotaCost: { units: insertCost, dailyUnits, resetTimeZone: QUOTA_ZONE },

    authorizationUrl(request) {
      const params = new URLSearchParams({
        client_id: config.clientId,
        redirect_uri: request.redirectUri,
        response_type: "code",
        scope: YOUTUBE_OAUTH_SCOPES.join(" "),
        // offline + consent: Google sends a refresh token on every connect, not only the first.
        access_type: "offline",
        prompt: "consent",
        include_granted_scopes: "true",
        state: request.state,
      });
      if (request.codeChallenge) {
        params.set("code_challenge", request.codeChallenge);
        params.set("code_challenge_method", "S256");
      }
      return `${oauthUrl}/o/oauth2/v2/auth?${params.toString()}`;
    },

    async exchangeCode(request) {
      const form: Record<string, string> = { grant_type: "authorization_code", code: request.code, redirect_uri: request.redirectUri };
      if (request.codeVerifier) form.code_verifier = request.codeVerifier;
      const tokens = await tokenCall(form, "POST /token");
      const granted = (tokens.scope ?? "").split(/\s+/);
      // Google's consent lets the user untick scopes: without upload we could never publish.
      const missing = YOUTUBE_OAUTH_SCOPES.filter((s) => !granted.includes(s));
      if (missing.length > 0) {
        throw new ConnectorError("refused", `YouTube: the authorization lacks ${missing.map((s) => s.split("/").pop()).join(", ")}; connect again and allow every permission`, {
          code: "insufficient_scopes",
        });
      }
      const credentials = { accessToken: tokens.access_token, externalAccountId: "" };
      const channels = await data<{ items?: Array<{ id: string; snippet?: { title?: string; customUrl?: string } }> }>("/channels", credentials, {
        part: "id,snippet,statistics",
        mine: "true",
      });
      const channel = channels.items?.[0];
      if (!channel) throw new ConnectorError("refused", "YouTube: this Google account has no YouTube channel; create one and connect again", { code: "no_channel" });
      return tokenSet(tokens, channel.id, channel.snippet?.title ?? channel.snippet?.customUrl);
    },

    async refresh(refreshToken, account) {
      const tokens = await tokenCall({ grant_type: "refresh_token", refresh_token: refreshToken }, "POST /token (refresh)");
      return tokenSet(tokens, account.externalAccountId);
    },

    async getPublishingQuota() {
      // The daily quota is per project and not readable through the API: publishQuotaCost covers it.
      return null;
    },

    async advancePublish(credentials, request, state) {
      const phase = state?.phase ?? "open";
      switch (phase) {
        case "open":
          return openSession(credentials, request);
        case "upload":
          return uploadChunk(credentials, request, state!);
        case "resume":
          return resume(credentials, state!);
        case "processing":
          return pollProcessing(credentials, state!);
        default:
          return { kind: "failed", code: "bad_state", reason: `Unknown YouTube publish phase "${phase}"` };
      }
    },

    async confirmPublish(credentials, _request, state) {
      if (state.phase === "processing") {
        const videoId = String(state.data.videoId ?? "");
        return { kind: "published", externalId: videoId, permalink: permalinkOf(videoId) };
      }
      if (state.phase !== "upload" && state.phase !== "resume") return { kind: "not_published", state: state.phase === "open" ? state : restart() };
      const d = uploadData(state);
      const answer = await querySession(credentials, d);
      if (answer.kind === "done") return { kind: "published", externalId: answer.video.id, permalink: permalinkOf(answer.video.id) };
      if (answer.kind === "expired") return { kind: "not_published", state: restart() };
      return { kind: "not_published", state: { phase: "upload", data: { ...d, offset: answer.offset } } };
    },

    async getPostMetrics(credentials, externalIds) {
      const out: PostMetrics[] = [];
      for (let i = 0; i < externalIds.length; i += IDS_PER_CALL) {
        const ids = externalIds.slice(i, i + IDS_PER_CALL);
        const list = await data<{ items?: VideoResource[] }>("/videos", credentials, { part: "statistics", id: ids.join(",") });
        for (const video of list.items ?? []) {
          const s = video.statistics ?? {};
          // The Data API has no reach, shares or saves per video (favoriteCount is always 0).
          out.push({ externalId: video.id, views: num(s.viewCount), reach: 0, likes: num(s.likeCount), comments: num(s.commentCount), shares: 0, saves: 0 });
        }
      }
      return out;
    },

    async getAccountMetrics(credentials, from, to) {
      const today = Math.floor(clock() / DAY_MS) * DAY_MS;
      const fromDay = Math.floor(from.getTime() / DAY_MS) * DAY_MS;
      const toDay = Math.min(Math.floor(to.getTime() / DAY_MS) * DAY_MS, today);
      if (fromDay > toDay) return [];
      const channels = await data<{ items?: Array<{ statistics?: { subscriberCount?: string } }> }>("/channels", credentials, { part: "statistics", mine: "true" });
      const subscribersNow = num(channels.items?.[0]?.statistics?.subscriberCount);
      const metrics = ["views", "likes", "comments", "shares", "subscribersGained", "subscribersLost"];
      // Up to today, not just `to`: followers on a day = today's count walked back by later net gains.
      const params = new URLSearchParams({ ids: "channel==MINE", startDate: isoDay(fromDay), endDate: isoDay(today), metrics: metrics.join(","), dimensions: "day", sort: "day" });
      const report = await json<{ columnHeaders?: Array<{ name: string }>; rows?: Array<Array<string | number>> }>(`${analyticsUrl}/v2/reports?${params.toString()}`, "GET /v2/reports", {
        token: credentials.accessToken,
      });
      const columns = (report.columnHeaders ?? []).map((c) => c.name);
      const byDay = new Map<string, Record<string, number>>();
      for (const row of report.rows ?? []) {
        const values: Record<string, number> = {};
        columns.forEach((name, i) => {
          if (name !== "day") values[name] = Number(row[i] ?? 0);
        });
        byDay.set(String(row[columns.indexOf("day")]), values);
      }
      const out: AccountDailyMetrics[] = [];
      let followers = subscribersNow;
      for (let day = today; day >= fromDay; day -= DAY_MS) {
        const date = isoDay(day);
        const v = byDay.get(date) ?? {};
        if (day <= toDay) {
          out.push({ date, followers, views: v.views ?? 0, reach: 0, profileViews: 0, engagements: (v.likes ?? 0) + (v.comments ?? 0) + (v.shares ?? 0) });
        }
        followers -= (v.subscribersGained ?? 0) - (v.subscribersLost ?? 0);
      }
      return out.reverse();
    },

    async listPosts(credentials, cursor) {
      let playlistId: string;
      let pageToken: string | null = null;
      if (cursor) {
        const parsed = JSON.parse(cursor) as { p: string; t: string };
        playlistId = parsed.p;
        pageToken = parsed.t;
      } else {
        // playlistItems on the uploads playlist costs 1 unit; search.list forMine would cost 100.
        const channels = await data<{ items?: Array<{ contentDetails?: { relatedPlaylists?: { uploads?: string } } }> }>("/channels", credentials, {
          part: "contentDetails",
          mine: "true",
        });
        const uploads = channels.items?.[0]?.contentDetails?.relatedPlaylists?.uploads;
        if (!uploads) return { posts: [], nextCursor: null };
        playlistId = uploads;
      }
      const params: Record<string, string> = { part: "snippet,contentDetails", playlistId, maxResults: "50" };
      if (pageToken) params.pageToken = pageToken;
      const page = await data<{
        nextPageToken?: string;
        items?: Array<{ snippet?: { title?: string; description?: string; publishedAt?: string; resourceId?: { videoId?: string } }; contentDetails?: { videoId?: string; videoPublishedAt?: string } }>;
      }>("/playlistItems", credentials, params);
      const posts: SocialPost[] = (page.items ?? []).flatMap((item) => {
        const videoId = item.contentDetails?.videoId ?? item.snippet?.resourceId?.videoId;
        if (!videoId) return [];
        const title = item.snippet?.title ?? "";
        const description = item.snippet?.description ?? "";
        const publishedAt = item.contentDetails?.videoPublishedAt ?? item.snippet?.publishedAt;
        return [{ externalId: videoId, caption: description ? `${title}\n\n${description}` : title, permalink: permalinkOf(videoId), publishedAt: new Date(publishedAt ?? 0) }];
      });
      return { posts, nextCursor: page.nextPageToken ? JSON.stringify({ p: playlistId, t: page.nextPageToken }) : null };
    },

    async listComments(credentials, query) {
      const single = query.postExternalIds.length === 1 ? query.postExternalIds[0]! : null;
      const wanted = new Set(query.postExternalIds);
      const params: Record<string, string> = { part: "snippet,replies", maxResults: "100", order: "time", textFormat: "plainText" };
      // One video: its threads; several: the channel's threads in one call (1 unit instead of N).
      if (single) params.videoId = single;
      else params.allThreadsRelatedToChannelId = credentials.externalAccountId;
      if (query.cursor) params.pageToken = query.cursor;
      const page = await data<{ nextPageToken?: string; items?: CommentThread[] }>("/commentThreads", credentials, params);
      const since = query.since?.getTime() ?? null;
      const out: SocialComment[] = [];
      let oldestTop = Infinity;
      for (const thread of page.items ?? []) {
        const videoId = thread.snippet.videoId ?? thread.snippet.topLevelComment.snippet.videoId ?? "";
        if (wanted.size > 0 && !wanted.has(videoId)) continue;
        const top = toComment(thread.snippet.topLevelComment, videoId);
        oldestTop = Math.min(oldestTop, top.createdAt.getTime());
        let replies = (thread.replies?.comments ?? []).map((c) => toComment(c, videoId));
        // commentThreads carries only a few replies per thread; fetch the rest when some are missing.
        if ((thread.snippet.totalReplyCount ?? 0) > replies.length) {
          const all = await data<{ items?: CommentResource[] }>("/comments", credentials, { part: "snippet", parentId: thread.id, maxResults: "100", textFormat: "plainText" });
          replies = (all.items ?? []).map((c) => toComment(c, videoId));
        }
        for (const c of [top, ...replies]) if (since === null || c.createdAt.getTime() > since) out.push(c);
      }
      // Threads come newest first: once a whole page is older than `since`, later pages are too.
      const exhausted = since !== null && oldestTop !== Infinity && oldestTop <= since;
      return { comments: out, nextCursor: page.nextPageToken && !exhausted ? page.nextPageToken : null };
    },

    async replyToComment(credentials, target) {
      // YouTube threads are one level deep: a reply to a reply goes to the thread's top comment
      // (reply ids are "<parent id>.<suffix>").
      const parentId = target.commentExternalId.split(".")[0]!;
      const created = await data<CommentResource>("/comments", credentials, { part: "snippet" }, { method: "POST", body: { snippet: { parentId, textOriginal: target.text } } });
      return { externalId: created.id };
    },

    async setCommentHidden(credentials, commentExternalId, hidden) {
      const url = `${apiUrl}/youtube/v3/comments/setModerationStatus?${new URLSearchParams({ id: commentExternalId, moderationStatus: hidden ? "heldForReview" : "published" }).toString()}`;
      const where = "POST /comments/setModerationStatus";
      const sent = await send(url, where, { method: "POST", headers: { authorization: `Bearer ${credentials.accessToken}` } });
      if (!sent.response.ok) throw failure(where, sent);
    },

    verifyWebhook() {
      return false;
    },
    answerWebhookChallenge() {
      return null;
    },
    parseWebhook() {
      return [];
    },
  };
  return connector;
}
