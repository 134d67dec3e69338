import { createHash, randomBytes } from "node:crypto";

import { zonedParts } from "~/lib/time/zoned";

import { badRequestText, htmlNoStore, redirectNoStore, routePath } from "../shared/http";
import { consentPage } from "./consent-page";
import {
  SANDBOX_YOUTUBE_ACCOUNTS,
  dailyHistory,
  historyEntries,
  subscribersAt,
  uploadsPlaylistId,
  youtubeAccountById,
  type SandboxHistoryPost,
  type SandboxYouTubeAccount,
} from "./data";
import { issueToken, pkceS256, readToken, type TokenClaims } from "./tokens";

/**
 * A simulator of Google OAuth 2.0 (accounts.google.com + oauth2.googleapis.com), the YouTube Data
 * API v3 (www.googleapis.com, uploads included) and the YouTube Analytics API v2 as one fetch
 * handler serving each host's own paths under a base path. Rules it enforces (FACTS.md and the
 * youtube brief): single-use codes with PKCE, refresh tokens that are not rotated and die unused
 * (6 months; 7 days in testing mode), 1-hour access tokens, the per-project daily quota reset at
 * Pacific midnight with per-method costs, resumable upload sessions (308 + Range, `bytes *\/total`
 * resume queries, 256 KiB chunk rule, 1-week session life), asynchronous processing with
 * rejections and failures, uploads forced private for unverified projects, comment threads,
 * replies and moderation. Errors use Google's JSON error format.
 */

export const YOUTUBE_SANDBOX_CLIENT_ID = "204815360927-sandbox.apps.googleusercontent.com";
export const YOUTUBE_SANDBOX_CLIENT_SECRET = "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t";

export const YOUTUBE_SCOPES = [
  "https://www.googleapis.com/auth/youtube.upload",
  "https://www.googleapis.com/auth/youtube.force-ssl",
  "https://www.googleapis.com/auth/yt-analytics.readonly",
] as const;

const SCOPE_UPLOAD = ["https://www.googleapis.com/auth/youtube.upload", "https://www.googleapis.com/auth/youtube", "https://www.googleapis.com/auth/youtube.force-ssl"];
const SCOPE_READ = [...SCOPE_UPLOAD, "https://www.googleapis.com/auth/youtube.readonly"];
const SCOPE_MANAGE = ["https://www.googleapis.com/auth/youtube.force-ssl", "https://www.googleapis.com/auth/youtube"];
const SCOPE_ANALYTICS = ["https://www.googleapis.com/auth/yt-analytics.readonly", "https://www.googleapis.com/auth/yt-analytics-monetary.readonly"];

const ACCESS_TTL_SECONDS = 3599;
const CODE_TTL_MS = 10 * 60_000;
const DAY_MS = 86_400_000;
const REFRESH_IDLE_MS = 180 * DAY_MS;
const TESTING_REFRESH_TTL_MS = 7 * DAY_MS;
const SESSION_TTL_MS = 7 * DAY_MS;
const CHUNK_GRANULARITY = 256 * 1024;
/** Bytes of an upload the sandbox keeps to inspect (signature, mvhd); the rest is only counted. */
const KEEP_BYTES = 64 * 1024 * 1024;
/** Old enough that every video the demo ever stored is still found by id. */
const LOOKUP_WINDOW_DAYS = 400;
const THREAD_REPLIES = 5;
/** The uploads playlist lists the generated history of this many days (youtubeSandboxHistory's window). */
const LISTED_DAYS = 60;
const QUOTA_ZONE = "America/Los_Angeles";

const COSTS = { list: 1, search: 100, commentsInsert: 50, moderate: 50 } as const;
const CATEGORIES = new Set(["1", "2", "10", "15", "17", "19", "20", "22", "23", "24", "25", "26", "27", "28", "29"]);

export type YouTubeSandboxFaults = {
  /** The next N API calls answer a rate-limit error (403 rateLimitExceeded, or 429 with rateLimitStatus 429). */
  rateLimited?: number;
  rateLimitStatus?: 403 | 429;
  /** The next N API calls answer a 5xx (serverErrorStatus, default 500). */
  serverErrors?: number;
  serverErrorStatus?: number;
  /**
   * The next chunk PUT is cut short: the server keeps `keepBytes` of it (default half the chunk)
   * and the connection drops ("drop") or it answers 503 ("503").
   */
  interruptChunk?: { keepBytes?: number; mode?: "drop" | "503" } | null;
  /**
   * The next final chunk completes the upload (the video exists) but the answer is a 500, a dropped
   * connection, or ("timeout") held back until the client gives up (at most 60 s).
   */
  finalChunk?: "500" | "drop" | "timeout" | null;
  /** The next completed upload ends processing rejected with this rejectionReason (e.g. "duplicate"). */
  rejectNextUpload?: string | null;
  /** The next completed upload ends processing failed with this failureReason (e.g. "codec"). */
  failNextUpload?: string | null;
};

export type YouTubeSandboxOptions = {
  /** Current time in ms; tests move it to expire tokens, sessions and the quota day. */
  clock?: () => number;
  clientId?: string;
  clientSecret?: string;
  /** Signs tokens; keep it stable across restarts so issued tokens stay valid. */
  tokenSecret?: string;
  /** Path prefix the handler is mounted under, e.g. "/api/sandbox/youtube" ("" at the root). */
  basePath?: string;
  /**
   * Origin the app is reached at (APP_URL), for the absolute session URI of uploads. Unset: the
   * request's own origin (right when nothing rewrites the Host header on the way).
   */
  publicUrl?: string;
  faults?: YouTubeSandboxFaults;
  /** Units per project per Pacific day. Default 10 000. */
  dailyUnits?: number;
  /** Units a videos.insert costs. Default 1 600 (older docs). */
  insertCost?: number;
  /** OAuth consent screen in "Testing": refresh tokens die after 7 days. */
  testingMode?: boolean;
  /** Unverified (unaudited) API projects have every upload locked private. Default true (verified). */
  verifiedProject?: boolean;
  /** How long processing takes after the last byte. Default 2.5 s. */
  processingMs?: number;
};

type UploadSession = {
  id: string;
  channelId: string;
  clientId: string;
  total: number;
  contentType: string;
  received: number;
  kept: Buffer[];
  keptBytes: number;
  expiresAt: number;
  title: string;
  description: string;
  tags: string[];
  categoryId: string;
  privacyStatus: string;
  videoId: string | null;
};

type Outcome = { kind: "processed" } | { kind: "rejected"; reason: string } | { kind: "failed"; reason: string };

type UploadedVideo = {
  id: string;
  channelId: string;
  title: string;
  description: string;
  tags: string[];
  categoryId: string;
  privacyStatus: string;
  sizeBytes: number;
  durationMs: number | null;
  publishedAt: number;
  processedAt: number;
  outcome: Outcome;
  fingerprint: string;
  /** MD5 of the bytes received (the first 64 MiB), so tests can prove a resumed upload is intact. */
  md5: string;
};

type SandboxComment = {
  id: string;
  videoId: string;
  channelId: string;
  parentId: string | null;
  authorChannelId: string;
  authorName: string;
  text: string;
  publishedAt: number;
};

type ModerationStatus = "published" | "heldForReview" | "rejected";

export type SandboxPost = {
  id: string;
  channelId: string;
  title: string;
  description: string;
  privacyStatus: string;
  uploadStatus: string;
  sizeBytes: number;
  publishedAt: string;
  permalink: string;
  /** Completed uploads of the same channel, title, description and size: 1 unless a retry duplicated it. */
  publishCount: number;
  md5: string;
};

export type YouTubeSandbox = {
  handler: (request: Request) => Promise<Response>;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly accounts: readonly SandboxYouTubeAccount[];
  setFaults(faults: YouTubeSandboxFaults): void;
  /** Every video uploaded through the API (history excluded), oldest first. */
  posts(): SandboxPost[];
  /** Adds an audience comment (top-level, or a reply with parentId) on a video. */
  addComment(input: { videoId: string; text: string; authorName?: string; parentId?: string | null }): { id: string };
  /** Units the project used in the current Pacific day. */
  quotaUsed(): number;
  /** Ends every open upload session (as if a week had passed). */
  expireUploadSessions(): number;
  /** The server's byte count of a session, by its upload id. */
  sessionOffset(uploadId: string): number | null;
  reset(): void;
};

// ─── Google's error formats ─────────────────────────────────────────────────────────────────────
const STATUS_NAMES: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  503: "UNAVAILABLE",
};

function apiError(status: number, reason: string, message: string, extra: { domain?: string; headers?: HeadersInit; location?: string } = {}): Response {
  return Response.json(
    {
      error: {
        code: status,
        message,
        errors: [{ message, domain: extra.domain ?? "youtube.api", reason, ...(extra.location ? { location: extra.location, locationType: "parameter" } : {}) }],
        status: STATUS_NAMES[status] ?? "UNKNOWN",
      },
    },
    { status, headers: extra.headers },
  );
}

function oauthError(status: number, error: string, description: string): Response {
  return Response.json({ error, error_description: description }, { status, headers: { "cache-control": "no-store" } });
}

function randomId(length: number): string {
  return randomBytes(length).toString("base64url").slice(0, length);
}

function dayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

function pacificDay(ms: number): string {
  const p = zonedParts(new Date(ms), QUOTA_ZONE);
  return `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
}

/** UTF-8 length, which is how YouTube counts the description. */
function byteLength(value: string): number {
  return Buffer.byteLength(value, "utf8");
}

/** Movie duration from the mvhd box inside moov (MP4/MOV), when the kept bytes hold it. */
export function mp4DurationMs(bytes: Buffer): number | null {
  function findBox(start: number, end: number, type: string): { start: number; end: number } | null {
    let at = start;
    while (at + 8 <= end) {
      let size = bytes.readUInt32BE(at);
      const name = bytes.toString("latin1", at + 4, at + 8);
      let header = 8;
      if (size === 1) {
        if (at + 16 > end) return null;
        size = Number(bytes.readBigUInt64BE(at + 8));
        header = 16;
      } else if (size === 0) size = end - at;
      if (size < header) return null;
      if (name === type) return { start: at + header, end: Math.min(end, at + size) };
      at += size;
    }
    return null;
  }
  const moov = findBox(0, bytes.length, "moov");
  if (!moov) return null;
  const mvhd = findBox(moov.start, moov.end, "mvhd");
  if (!mvhd || mvhd.end - mvhd.start < 32) return null;
  const version = bytes.readUInt8(mvhd.start);
  const timescale = version === 1 ? bytes.readUInt32BE(mvhd.start + 20) : bytes.readUInt32BE(mvhd.start + 12);
  const duration = version === 1 ? Number(bytes.readBigUInt64BE(mvhd.start + 24)) : bytes.readUInt32BE(mvhd.start + 16);
  return timescale > 0 ? Math.round((duration * 1000) / timescale) : null;
}

function looksLikeVideo(bytes: Buffer): boolean {
  if (bytes.length >= 8 && bytes.toString("latin1", 4, 8) === "ftyp") return true; // MP4 / MOV
  return bytes.length >= 4 && bytes.readUInt32BE(0) === 0x1a45dfa3; // WebM / Matroska (EBML)
}

export function createYouTubeSandbox(options: YouTubeSandboxOptions = {}): YouTubeSandbox {
  const clock = options.clock ?? Date.now;
  const clientId = options.clientId ?? YOUTUBE_SANDBOX_CLIENT_ID;
  const clientSecret = options.clientSecret ?? YOUTUBE_SANDBOX_CLIENT_SECRET;
  const tokenSecret = options.tokenSecret ?? `youtube-sandbox:${clientSecret}`;
  const basePath = (options.basePath ?? "").replace(/\/$/, "");
  const dailyUnits = options.dailyUnits ?? 10_000;
  const insertCost = options.insertCost ?? 1_600;
  const processingMs = options.processingMs ?? 2_500;
  const verifiedProject = options.verifiedProject ?? true;
  const testingMode = options.testingMode ?? false;

  let faults: YouTubeSandboxFaults = { ...options.faults };
  const usedCodes = new Map<string, number>();
  const refreshLastUse = new Map<string, number>();
  const revoked = new Set<string>();
  const granted = new Set<string>();
  const quota = new Map<string, number>();
  const sessions = new Map<string, UploadSession>();
  const videos = new Map<string, UploadedVideo>();
  const comments = new Map<string, SandboxComment>();
  const moderation = new Map<string, ModerationStatus>();

  // ─── Quota ────────────────────────────────────────────────────────────────────────────────────
  function quotaKey(): string {
    return `${clientId}:${pacificDay(clock())}`;
  }

  /** Charges `units` to the project's day, or answers Google's quotaExceeded. */
  function charge(units: number): Response | null {
    const key = quotaKey();
    const used = quota.get(key) ?? 0;
    if (used + units > dailyUnits) {
      const message = 'The request cannot be completed because you have exceeded your <a href="/youtube/v3/getting-started#quota">quota</a>.';
      return apiError(403, "quotaExceeded", message, { domain: "youtube.quota" });
    }
    quota.set(key, used + units);
    return null;
  }

  // ─── OAuth ────────────────────────────────────────────────────────────────────────────────────
  function consentProblem(params: URLSearchParams): string | null {
    if (params.get("client_id") !== clientId) return "Erro 401: invalid_client — The OAuth client was not found.";
    const redirect = params.get("redirect_uri");
    if (!redirect || !/^https?:\/\//.test(redirect)) return "Erro 400: redirect_uri_mismatch";
    if (params.get("response_type") !== "code") return "Erro 400: unsupported_response_type";
    if (!(params.get("scope") ?? "").trim()) return "Erro 400: invalid_request — Missing required parameter: scope";
    const method = params.get("code_challenge_method");
    if (params.get("code_challenge") && method && method !== "S256" && method !== "plain") return "Erro 400: invalid_request — Invalid code_challenge_method";
    return null;
  }

  function consentGet(url: URL): Response {
    const problem = consentProblem(url.searchParams);
    if (problem) return badRequestText(problem);
    return htmlNoStore(consentPage(`${basePath}/o/oauth2/v2/auth`, url.searchParams));
  }

  async function consentPost(request: Request): Promise<Response> {
    const form = new URLSearchParams(await request.text());
    const problem = consentProblem(form);
    if (problem) return badRequestText(problem);
    const redirect = new URL(form.get("redirect_uri")!);
    const state = form.get("state");
    if (form.get("decision") !== "allow") {
      redirect.searchParams.set("error", "access_denied");
    } else {
      const account = youtubeAccountById(form.get("channel_id") ?? "") ?? SANDBOX_YOUTUBE_ACCOUNTS[0]!;
      const scopes = (form.get("scope") ?? "").split(/\s+/).filter(Boolean);
      const offline = form.get("access_type") === "offline";
      const grantKey = `${clientId}:${account.id}`;
      // Google sends a refresh token on the first offline consent, or when consent is forced again.
      const withRefresh = offline && (form.get("prompt")?.split(" ").includes("consent") === true || !granted.has(grantKey));
      if (offline) granted.add(grantKey);
      const challenge = form.get("code_challenge");
      const now = clock();
      const code = issueToken(tokenSecret, {
        k: "code",
        c: clientId,
        u: account.id,
        s: scopes,
        i: now,
        e: now + CODE_TTL_MS,
        r: form.get("redirect_uri")!,
        pr: withRefresh,
        ...(challenge ? { pc: challenge, pm: form.get("code_challenge_method") === "plain" ? "plain" : "S256" } : {}),
      });
      redirect.searchParams.set("code", code);
      redirect.searchParams.set("scope", scopes.join(" "));
    }
    if (state !== null) redirect.searchParams.set("state", state);
    return redirectNoStore(redirect.toString());
  }

  function clientFrom(request: Request, form: URLSearchParams): { id: string | null; secret: string | null } {
    const basic = /^Basic\s+(.+)$/i.exec(request.headers.get("authorization") ?? "");
    if (basic) {
      const [id, secret] = Buffer.from(basic[1]!, "base64").toString("utf8").split(":");
      return { id: decodeURIComponent(id ?? ""), secret: decodeURIComponent(secret ?? "") };
    }
    return { id: form.get("client_id"), secret: form.get("client_secret") };
  }

  function accessTokenFor(channelId: string, scopes: string[]): string {
    const now = clock();
    return issueToken(tokenSecret, { k: "access", c: clientId, u: channelId, s: scopes, i: now, e: now + ACCESS_TTL_SECONDS * 1000 });
  }

  async function token(request: Request): Promise<Response> {
    const form = new URLSearchParams(await request.text());
    const client = clientFrom(request, form);
    if (client.id !== clientId) return oauthError(401, "invalid_client", "The OAuth client was not found.");
    if (client.secret !== clientSecret) return oauthError(401, "invalid_client", "Unauthorized");
    const now = clock();
    const grantType = form.get("grant_type");
    if (grantType === "authorization_code") {
      const code = form.get("code") ?? "";
      const claims = readToken(tokenSecret, code, "code");
      if (!claims || claims.c !== clientId) return oauthError(400, "invalid_grant", "Malformed auth code.");
      if (claims.e <= now || usedCodes.has(claims.jti)) return oauthError(400, "invalid_grant", "Bad Request");
      if (form.get("redirect_uri") !== claims.r) return oauthError(400, "redirect_uri_mismatch", "Bad Request");
      if (claims.pc) {
        const verifier = form.get("code_verifier");
        if (!verifier) return oauthError(400, "invalid_grant", "Missing code verifier.");
        if ((claims.pm === "plain" ? verifier : pkceS256(verifier)) !== claims.pc) return oauthError(400, "invalid_grant", "Invalid code verifier.");
      }
      for (const [jti, exp] of usedCodes) if (exp < now) usedCodes.delete(jti);
      usedCodes.set(claims.jti, claims.e);
      const body: Record<string, unknown> = {
        access_token: accessTokenFor(claims.u, claims.s),
        expires_in: ACCESS_TTL_SECONDS,
        scope: claims.s.join(" "),
        token_type: "Bearer",
      };
      if (claims.pr) {
        body.refresh_token = issueToken(tokenSecret, { k: "refresh", c: clientId, u: claims.u, s: claims.s, i: now, e: 0 });
        if (testingMode) body.refresh_token_expires_in = Math.floor(TESTING_REFRESH_TTL_MS / 1000);
      }
      return Response.json(body, { headers: { "cache-control": "no-store" } });
    }
    if (grantType === "refresh_token") {
      const claims = readToken(tokenSecret, form.get("refresh_token") ?? "", "refresh");
      if (!claims || claims.c !== clientId) return oauthError(400, "invalid_grant", "Bad Request");
      const lastUse = refreshLastUse.get(claims.jti) ?? claims.i;
      const expired =
        revoked.has(claims.jti) ||
        now - lastUse > (testingMode ? TESTING_REFRESH_TTL_MS : REFRESH_IDLE_MS) ||
        (testingMode && now - claims.i > TESTING_REFRESH_TTL_MS);
      if (expired) return oauthError(400, "invalid_grant", "Token has been expired or revoked.");
      refreshLastUse.set(claims.jti, now);
      // Google does not rotate: the same refresh token keeps working, no new one is sent.
      return Response.json(
        { access_token: accessTokenFor(claims.u, claims.s), expires_in: ACCESS_TTL_SECONDS, scope: claims.s.join(" "), token_type: "Bearer" },
        { headers: { "cache-control": "no-store" } },
      );
    }
    return oauthError(400, "unsupported_grant_type", `Invalid grant_type: ${grantType ?? ""}`);
  }

  async function revoke(request: Request, url: URL): Promise<Response> {
    const form = new URLSearchParams(await request.text());
    const value = url.searchParams.get("token") ?? form.get("token") ?? "";
    const claims = readToken(tokenSecret, value, "refresh") ?? readToken(tokenSecret, value, "access");
    if (!claims) return oauthError(400, "invalid_token", "Token expired or revoked");
    revoked.add(claims.jti);
    return new Response(null, { status: 200 });
  }

  function authenticate(request: Request): TokenClaims | Response {
    const header = request.headers.get("authorization") ?? "";
    const value = header.replace(/^Bearer\s+/i, "");
    if (!value) {
      return apiError(401, "required", "Request is missing required authentication credential. Expected OAuth 2 access token.", { domain: "global" });
    }
    const claims = readToken(tokenSecret, value, "access");
    if (!claims || claims.c !== clientId || claims.e <= clock() || revoked.has(claims.jti)) {
      return apiError(401, "authError", "Request had invalid authentication credentials. Expected OAuth 2 access token.", { domain: "global" });
    }
    return claims;
  }

  function requireScope(claims: TokenClaims, accepted: string[]): Response | null {
    if (claims.s.some((s) => accepted.includes(s))) return null;
    return apiError(403, "insufficientPermissions", "Request had insufficient authentication scopes.", { domain: "global" });
  }

  // ─── Videos ───────────────────────────────────────────────────────────────────────────────────
  type FoundVideo = { channelId: string; history: SandboxHistoryPost | null; upload: UploadedVideo | null };
  type HistoryIndex = {
    at: number;
    videos: Map<string, { channelId: string; post: SandboxHistoryPost; comments: SandboxComment[] }>;
    byChannel: Map<string, SandboxHistoryPost[]>;
    comments: Map<string, SandboxComment>;
  };
  let index: HistoryIndex | null = null;

  /**
   * The generated history, rebuilt at most every 10 s (it takes tens of ms): one request reads it
   * many times, and with a live clock every read would otherwise see a new millisecond.
   */
  function history(): HistoryIndex {
    const at = clock();
    if (index && at >= index.at && at - index.at < 10_000) return index;
    const next: HistoryIndex = { at, videos: new Map(), byChannel: new Map(), comments: new Map() };
    for (const account of SANDBOX_YOUTUBE_ACCOUNTS) {
      const entries = historyEntries(account, at, LOOKUP_WINDOW_DAYS);
      next.byChannel.set(account.id, entries.map((e) => e.post));
      for (const { post, comments: seeded } of entries) {
        const list = seeded.map((c) => ({
          id: c.externalId,
          videoId: post.externalId,
          channelId: account.id,
          parentId: null,
          authorChannelId: c.authorExternalId,
          authorName: c.authorName,
          text: c.text,
          publishedAt: c.createdAt.getTime(),
        }));
        next.videos.set(post.externalId, { channelId: account.id, post, comments: list });
        for (const c of list) next.comments.set(c.id, c);
      }
    }
    index = next;
    return next;
  }

  function findVideo(id: string): FoundVideo | null {
    const upload = videos.get(id);
    if (upload) return { channelId: upload.channelId, history: null, upload };
    const found = history().videos.get(id);
    return found ? { channelId: found.channelId, history: found.post, upload: null } : null;
  }

  function uploadStatusOf(video: UploadedVideo): { uploadStatus: string; processing: Record<string, unknown>; extra: Record<string, string> } {
    const now = clock();
    if (now < video.processedAt) {
      const timeLeftMs = video.processedAt - now;
      const partsProcessed = Math.floor(((processingMs - timeLeftMs) / Math.max(1, processingMs)) * 1000);
      return {
        uploadStatus: "uploaded",
        processing: { processingStatus: "processing", processingProgress: { partsTotal: "1000", partsProcessed: String(Math.max(0, partsProcessed)), timeLeftMs: String(timeLeftMs) } },
        extra: {},
      };
    }
    switch (video.outcome.kind) {
      case "processed":
        return { uploadStatus: "processed", processing: { processingStatus: "succeeded" }, extra: {} };
      case "rejected":
        return { uploadStatus: "rejected", processing: { processingStatus: "terminated" }, extra: { rejectionReason: video.outcome.reason } };
      case "failed":
        return { uploadStatus: "failed", processing: { processingStatus: "failed", processingFailureReason: "other" }, extra: { failureReason: video.outcome.reason } };
    }
  }

  function commentsOfVideo(videoId: string): SandboxComment[] {
    const fromHistory = history().videos.get(videoId)?.comments ?? [];
    return [...fromHistory, ...[...comments.values()].filter((c) => c.videoId === videoId)];
  }

  function statisticsOf(found: FoundVideo, id: string) {
    const published = commentsOfVideo(id).filter((c) => (moderation.get(c.id) ?? "published") === "published").length;
    if (found.history) {
      const m = found.history.metrics;
      return { viewCount: String(m.views), likeCount: String(m.likes), favoriteCount: "0", commentCount: String(published) };
    }
    const video = found.upload!;
    const live = video.outcome.kind === "processed" && clock() >= video.processedAt;
    const hours = live ? Math.max(0, (clock() - video.processedAt) / 3_600_000) : 0;
    const views = Math.floor(Math.min(5_000, hours * 40));
    return { viewCount: String(views), likeCount: String(Math.floor(views * 0.05)), favoriteCount: "0", commentCount: String(published) };
  }

  function videoResource(id: string, found: FoundVideo, parts: Set<string>): Record<string, unknown> {
    const resource: Record<string, unknown> = { kind: "youtube#video", etag: createHash("md5").update(id).digest("base64url"), id };
    const h = found.history;
    const u = found.upload;
    if (parts.has("snippet")) {
      const account = youtubeAccountById(found.channelId);
      resource.snippet = {
        publishedAt: new Date(h ? h.publishedAt.getTime() : u!.publishedAt).toISOString(),
        channelId: found.channelId,
        title: h ? h.title : u!.title,
        description: h ? h.description : u!.description,
        thumbnails: { default: { url: `https://i.ytimg.com/vi/${id}/default.jpg`, width: 120, height: 90 } },
        channelTitle: account?.title ?? "",
        tags: h ? [] : u!.tags,
        categoryId: h ? "22" : u!.categoryId,
        liveBroadcastContent: "none",
      };
    }
    if (parts.has("status")) {
      const state = u ? uploadStatusOf(u) : { uploadStatus: "processed", extra: {} };
      resource.status = {
        uploadStatus: state.uploadStatus,
        ...state.extra,
        privacyStatus: u ? u.privacyStatus : "public",
        license: "youtube",
        embeddable: true,
        publicStatsViewable: true,
        madeForKids: false,
        selfDeclaredMadeForKids: false,
      };
    }
    if (parts.has("processingDetails")) {
      resource.processingDetails = u ? uploadStatusOf(u).processing : { processingStatus: "succeeded" };
    }
    if (parts.has("statistics")) resource.statistics = statisticsOf(found, id);
    if (parts.has("contentDetails")) {
      const duration = u?.durationMs ?? 60_000;
      resource.contentDetails = { duration: `PT${Math.max(1, Math.round(duration / 1000))}S`, dimension: "2d", definition: "hd", caption: "false" };
    }
    return resource;
  }

  function partsOf(url: URL): Set<string> | Response {
    const part = url.searchParams.get("part");
    if (!part) return apiError(400, "required", "Required parameter: part", { domain: "global", location: "part" });
    return new Set(part.split(",").map((p) => p.trim()));
  }

  function videosList(url: URL): Response {
    const parts = partsOf(url);
    if (parts instanceof Response) return parts;
    const ids = (url.searchParams.get("id") ?? "").split(",").filter(Boolean);
    if (ids.length === 0) return apiError(400, "missingRequiredParameter", "No filter selected. Expected one of: myRating, id, chart", { location: "parameters." });
    if (ids.length > 50) return apiError(400, "invalidFilters", "Invalid filters: at most 50 ids per request.");
    const items = ids.flatMap((id) => {
      const found = findVideo(id);
      return found ? [videoResource(id, found, parts)] : [];
    });
    return Response.json({ kind: "youtube#videoListResponse", items, pageInfo: { totalResults: items.length, resultsPerPage: items.length } });
  }

  /**
   * Videos of a channel, newest first: API uploads and history. `listed` keeps the history to the
   * last 60 days, as youtubeSandboxHistory serves it (the demo seed stores what the listing shows);
   * older generated videos still answer by id and carry comments.
   */
  function channelVideos(channelId: string, listed = false): Array<{ id: string; found: FoundVideo; publishedAt: number }> {
    const account = youtubeAccountById(channelId);
    const uploads = [...videos.values()]
      .filter((v) => v.channelId === channelId)
      .map((v) => ({ id: v.id, found: { channelId, history: null, upload: v } as FoundVideo, publishedAt: v.publishedAt }));
    const since = clock() - LISTED_DAYS * DAY_MS;
    const old = account
      ? (history().byChannel.get(channelId) ?? []).filter((p) => !listed || p.publishedAt.getTime() >= since).map((p) => ({ id: p.externalId, found: { channelId, history: p, upload: null } as FoundVideo, publishedAt: p.publishedAt.getTime() }))
      : [];
    return [...uploads, ...old].sort((a, b) => b.publishedAt - a.publishedAt);
  }

  function pageWindow(url: URL, defaultSize: number, maxSize: number): { offset: number; size: number } | Response {
    const size = Number(url.searchParams.get("maxResults") ?? defaultSize);
    if (!Number.isInteger(size) || size < 0 || size > maxSize) {
      return apiError(400, "invalidParameter", `Invalid value for maxResults: must be between 0 and ${maxSize}`, { location: "maxResults" });
    }
    const token = url.searchParams.get("pageToken");
    if (!token) return { offset: 0, size };
    const offset = Number(Buffer.from(token, "base64url").toString("utf8").replace(/^CA/, ""));
    if (!Number.isInteger(offset) || offset < 0) return apiError(400, "invalidPageToken", "The request specifies an invalid page token.", { location: "pageToken" });
    return { offset, size };
  }

  function pageToken(offset: number): string {
    return Buffer.from(`CA${offset}`).toString("base64url");
  }

  function playlistItems(url: URL): Response {
    const parts = partsOf(url);
    if (parts instanceof Response) return parts;
    const playlistId = url.searchParams.get("playlistId") ?? "";
    const account = SANDBOX_YOUTUBE_ACCOUNTS.find((a) => uploadsPlaylistId(a.id) === playlistId);
    if (!account) return apiError(404, "playlistNotFound", "The playlist identified with the request's playlistId parameter cannot be found.", { location: "playlistId" });
    const page = pageWindow(url, 5, 50);
    if (page instanceof Response) return page;
    const all = channelVideos(account.id, true);
    const slice = all.slice(page.offset, page.offset + page.size);
    const items = slice.map((v, n) => {
      const resource = videoResource(v.id, v.found, new Set(["snippet"])) as { snippet: Record<string, unknown> };
      const item: Record<string, unknown> = { kind: "youtube#playlistItem", id: `${playlistId}.${v.id}`.slice(0, 60) };
      if (parts.has("snippet")) {
        item.snippet = {
          ...resource.snippet,
          playlistId,
          position: page.offset + n,
          resourceId: { kind: "youtube#video", videoId: v.id },
          videoOwnerChannelId: account.id,
          videoOwnerChannelTitle: account.title,
        };
      }
      if (parts.has("contentDetails")) item.contentDetails = { videoId: v.id, videoPublishedAt: new Date(v.publishedAt).toISOString() };
      if (parts.has("status")) item.status = { privacyStatus: v.found.upload?.privacyStatus ?? "public" };
      return item;
    });
    const next = page.offset + page.size < all.length ? pageToken(page.offset + page.size) : undefined;
    return Response.json({ kind: "youtube#playlistItemListResponse", ...(next ? { nextPageToken: next } : {}), items, pageInfo: { totalResults: all.length, resultsPerPage: page.size } });
  }

  function search(claims: TokenClaims, url: URL): Response {
    if (url.searchParams.get("forMine") !== "true" || url.searchParams.get("type") !== "video") {
      return apiError(400, "invalidSearchFilter", "The sandbox serves search.list only with forMine=true&type=video.");
    }
    const page = pageWindow(url, 5, 50);
    if (page instanceof Response) return page;
    const all = channelVideos(claims.u, true);
    const items = all.slice(page.offset, page.offset + page.size).map((v) => ({
      kind: "youtube#searchResult",
      id: { kind: "youtube#video", videoId: v.id },
      snippet: (videoResource(v.id, v.found, new Set(["snippet"])) as { snippet: unknown }).snippet,
    }));
    const next = page.offset + page.size < all.length ? pageToken(page.offset + page.size) : undefined;
    return Response.json({ kind: "youtube#searchListResponse", ...(next ? { nextPageToken: next } : {}), items, pageInfo: { totalResults: all.length, resultsPerPage: page.size } });
  }

  function channelsList(claims: TokenClaims, url: URL): Response {
    const parts = partsOf(url);
    if (parts instanceof Response) return parts;
    const ids = url.searchParams.get("mine") === "true" ? [claims.u] : (url.searchParams.get("id") ?? "").split(",").filter(Boolean);
    if (ids.length === 0) return apiError(400, "missingRequiredParameter", "No filter selected. Expected one of: id, mine, forHandle, forUsername");
    const items = ids.flatMap((id) => {
      const account = youtubeAccountById(id);
      if (!account) return [];
      const item: Record<string, unknown> = { kind: "youtube#channel", etag: createHash("md5").update(id).digest("base64url"), id };
      if (parts.has("snippet")) {
        item.snippet = {
          title: account.title,
          description: account.description,
          customUrl: account.handle,
          publishedAt: "2021-05-10T14:00:00Z",
          thumbnails: { default: { url: `https://yt3.ggpht.com/${id}=s88`, width: 88, height: 88 } },
          country: "BR",
        };
      }
      if (parts.has("statistics")) {
        const all = channelVideos(id);
        const views = all.reduce((sum, v) => sum + Number(statisticsOf(v.found, v.id).viewCount), 0);
        item.statistics = { viewCount: String(views), subscriberCount: String(subscribersAt(account, clock())), hiddenSubscriberCount: false, videoCount: String(all.length) };
      }
      if (parts.has("contentDetails")) item.contentDetails = { relatedPlaylists: { likes: "", uploads: uploadsPlaylistId(id) } };
      return [item];
    });
    return Response.json({ kind: "youtube#channelListResponse", items, pageInfo: { totalResults: items.length, resultsPerPage: 5 } });
  }

  // ─── Resumable uploads ────────────────────────────────────────────────────────────────────────
  async function openUpload(claims: TokenClaims, request: Request, url: URL): Promise<Response> {
    const scope = requireScope(claims, SCOPE_UPLOAD);
    if (scope) return scope;
    if (url.searchParams.get("uploadType") !== "resumable") {
      return apiError(400, "invalidUploadType", "The sandbox accepts uploadType=resumable only.", { domain: "global", location: "uploadType" });
    }
    const parts = new Set((url.searchParams.get("part") ?? "").split(","));
    if (!parts.has("snippet")) return apiError(400, "required", "Required parameter: part", { domain: "global", location: "part" });
    const total = Number(request.headers.get("x-upload-content-length"));
    if (!Number.isInteger(total) || total <= 0) return apiError(400, "mediaBodyRequired", "The request does not include the video content (X-Upload-Content-Length).");
    const contentType = request.headers.get("x-upload-content-type") ?? "";
    if (!contentType.startsWith("video/") && contentType !== "application/octet-stream") {
      return apiError(400, "invalidContentType", `The uploaded file's type (${contentType || "missing"}) is not a video type.`);
    }
    let body: { snippet?: Record<string, unknown>; status?: Record<string, unknown> };
    try {
      body = (await request.json()) as typeof body;
    } catch {
      return apiError(400, "parseError", "Parse Error", { domain: "global" });
    }
    const snippet = body.snippet ?? {};
    const title = typeof snippet.title === "string" ? snippet.title : "";
    const description = typeof snippet.description === "string" ? snippet.description : "";
    const tags = Array.isArray(snippet.tags) ? snippet.tags.filter((t): t is string => typeof t === "string") : [];
    const categoryId = typeof snippet.categoryId === "string" ? snippet.categoryId : "22";
    const privacyStatus = typeof body.status?.privacyStatus === "string" ? body.status.privacyStatus : "public";
    if (!title.trim()) return apiError(400, "invalidTitle", "The request metadata specifies an invalid or empty video title.");
    if (title.length > 100 || /[<>]/.test(title)) return apiError(400, "invalidTitle", "The request metadata specifies an invalid video title.");
    if (byteLength(description) > 5000 || /[<>]/.test(description)) return apiError(400, "invalidDescription", "The request metadata specifies an invalid video description.");
    if (tags.join(",").length > 500) return apiError(400, "invalidTags", "The request metadata specifies invalid video keywords.");
    if (!CATEGORIES.has(categoryId)) return apiError(400, "invalidCategoryId", "The snippet.categoryId property specifies an invalid category ID.");
    if (!["public", "unlisted", "private"].includes(privacyStatus)) return apiError(400, "invalidVideoMetadata", "The request metadata is invalid (status.privacyStatus).");
    const quotaProblem = charge(insertCost);
    if (quotaProblem) return quotaProblem;
    const id = randomId(32);
    sessions.set(id, {
      id,
      channelId: claims.u,
      clientId: claims.c,
      total,
      contentType,
      received: 0,
      kept: [],
      keptBytes: 0,
      expiresAt: clock() + SESSION_TTL_MS,
      title,
      description,
      tags,
      categoryId,
      privacyStatus,
      videoId: null,
    });
    const origin = options.publicUrl ? options.publicUrl.replace(/\/+$/, "") : url.origin;
    const location = `${origin}${basePath}/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status&upload_id=${id}`;
    return new Response(null, { status: 200, headers: { location, "x-guploader-uploadid": id } });
  }

  function resumeIncomplete(session: UploadSession): Response {
    const headers: Record<string, string> = { "x-guploader-uploadid": session.id };
    if (session.received > 0) headers.range = `bytes=0-${session.received - 1}`;
    return new Response(null, { status: 308, headers });
  }

  function keep(session: UploadSession, bytes: Uint8Array): void {
    if (session.keptBytes < KEEP_BYTES) {
      const slice = Buffer.from(bytes.subarray(0, KEEP_BYTES - session.keptBytes));
      session.kept.push(slice);
      session.keptBytes += slice.length;
    }
    session.received += bytes.length;
  }

  function completeUpload(session: UploadSession): UploadedVideo {
    const head = Buffer.concat(session.kept);
    const durationMs = mp4DurationMs(head);
    let outcome: Outcome = { kind: "processed" };
    if (faults.rejectNextUpload) {
      outcome = { kind: "rejected", reason: faults.rejectNextUpload };
      faults.rejectNextUpload = null;
    } else if (faults.failNextUpload) {
      outcome = { kind: "failed", reason: faults.failNextUpload };
      faults.failNextUpload = null;
    } else if (!looksLikeVideo(head)) {
      outcome = { kind: "failed", reason: "invalidFile" };
    } else if (durationMs !== null && durationMs > 12 * 3_600_000) {
      outcome = { kind: "rejected", reason: "length" };
    }
    const now = clock();
    const video: UploadedVideo = {
      id: randomId(11),
      channelId: session.channelId,
      title: session.title,
      description: session.description,
      tags: session.tags,
      categoryId: session.categoryId,
      // Unverified projects: every upload is locked private, whatever was asked.
      privacyStatus: verifiedProject ? session.privacyStatus : "private",
      sizeBytes: session.total,
      durationMs,
      publishedAt: now,
      processedAt: now + processingMs,
      outcome,
      fingerprint: `${session.channelId}|${session.title}|${session.description}|${session.total}`,
      md5: createHash("md5").update(head).digest("hex"),
    };
    videos.set(video.id, video);
    session.videoId = video.id;
    session.kept = [];
    return video;
  }

  function uploadedAnswer(session: UploadSession): Response {
    const video = videos.get(session.videoId!)!;
    return Response.json(videoResource(video.id, { channelId: video.channelId, history: null, upload: video }, new Set(["snippet", "status"])), { status: 200 });
  }

  /** A response whose connection breaks before the body arrives: the client sees a network error. */
  function dropped(): Response {
    return new Response(
      new ReadableStream({
        start(controller) {
          controller.error(new Error("sandbox: connection dropped"));
        },
      }),
      { status: 200, headers: { "content-type": "application/json" } },
    );
  }

  async function putUpload(request: Request, url: URL): Promise<Response> {
    const session = sessions.get(url.searchParams.get("upload_id") ?? "");
    if (!session || (session.videoId === null && session.expiresAt <= clock())) {
      return apiError(404, "notFound", "The upload session was not found or has expired.", { domain: "global" });
    }
    const bytes = new Uint8Array(await request.arrayBuffer());
    const range = request.headers.get("content-range") ?? "";
    const query = /^bytes \*\/(\d+|\*)$/.exec(range);
    if (query) {
      if (session.videoId) return uploadedAnswer(session);
      return resumeIncomplete(session);
    }
    const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(range);
    if (!m) return apiError(400, "badContent", "Missing or malformed Content-Range header.", { domain: "global" });
    const first = Number(m[1]);
    const last = Number(m[2]);
    const total = Number(m[3]);
    if (total !== session.total) return apiError(400, "badContent", `Content-Range total ${total} differs from X-Upload-Content-Length ${session.total}.`, { domain: "global" });
    if (last < first || last >= total || bytes.length !== last - first + 1) {
      return apiError(400, "badContent", "Content-Range does not match the request body length.", { domain: "global" });
    }
    const isFinal = last === total - 1;
    if (!isFinal && bytes.length % CHUNK_GRANULARITY !== 0) {
      return apiError(400, "badContent", "Chunks other than the last must be a multiple of 256 KiB.", { domain: "global" });
    }
    if (session.videoId) return uploadedAnswer(session);
    // A chunk past what the server holds cannot be stitched: the client must ask where to resume.
    if (first > session.received) return resumeIncomplete(session);
    // Bytes the server already has (a re-sent chunk) are skipped.
    const fresh = bytes.subarray(session.received - first);

    const interrupt = faults.interruptChunk;
    if (interrupt && fresh.length > 0) {
      faults.interruptChunk = null;
      const keepBytes = Math.min(fresh.length - 1, Math.max(0, interrupt.keepBytes ?? Math.floor(fresh.length / 2)));
      keep(session, fresh.subarray(0, keepBytes));
      if (interrupt.mode === "503") return apiError(503, "backendError", "Service unavailable. Please try again.", { domain: "global" });
      return dropped();
    }
    keep(session, fresh);
    if (session.received < session.total) return resumeIncomplete(session);

    completeUpload(session);
    const finalFault = faults.finalChunk;
    if (finalFault) {
      faults.finalChunk = null;
      if (finalFault === "drop") return dropped();
      if (finalFault === "timeout") {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 60_000);
          request.signal.addEventListener("abort", () => {
            clearTimeout(timer);
            resolve();
          });
        });
        return uploadedAnswer(session);
      }
      return apiError(500, "backendError", "Backend Error", { domain: "global" });
    }
    return uploadedAnswer(session);
  }

  // ─── Comments ─────────────────────────────────────────────────────────────────────────────────
  function commentResource(c: SandboxComment) {
    return {
      kind: "youtube#comment",
      etag: createHash("md5").update(c.id).digest("base64url"),
      id: c.id,
      snippet: {
        channelId: c.channelId,
        videoId: c.videoId,
        textDisplay: c.text,
        textOriginal: c.text,
        ...(c.parentId ? { parentId: c.parentId } : {}),
        authorDisplayName: c.authorName,
        authorChannelUrl: `http://www.youtube.com/channel/${c.authorChannelId}`,
        authorChannelId: { value: c.authorChannelId },
        canRate: true,
        viewerRating: "none",
        likeCount: 0,
        moderationStatus: moderation.get(c.id) ?? "published",
        publishedAt: new Date(c.publishedAt).toISOString(),
        updatedAt: new Date(c.publishedAt).toISOString(),
      },
    };
  }

  function commentThreads(claims: TokenClaims, url: URL): Response {
    const parts = partsOf(url);
    if (parts instanceof Response) return parts;
    const videoId = url.searchParams.get("videoId");
    const channelId = url.searchParams.get("allThreadsRelatedToChannelId");
    let videoIds: string[];
    if (videoId) {
      const found = findVideo(videoId);
      if (!found) return apiError(404, "videoNotFound", "The video identified by the videoId parameter could not be found.", { location: "videoId" });
      videoIds = [videoId];
    } else if (channelId) {
      if (!youtubeAccountById(channelId)) return apiError(404, "channelNotFound", "The channel could not be found.", { location: "allThreadsRelatedToChannelId" });
      videoIds = channelVideos(channelId).map((v) => v.id);
    } else {
      return apiError(400, "missingRequiredParameter", "No filter selected. Expected one of: videoId, allThreadsRelatedToChannelId, id");
    }
    const wanted = (url.searchParams.get("moderationStatus") ?? "published") as ModerationStatus;
    if (wanted !== "published") {
      // Only the channel owner may list held comments.
      const owner = videoId ? findVideo(videoId)?.channelId : channelId;
      if (owner !== claims.u) return apiError(403, "forbidden", "The comment threads cannot be retrieved due to insufficient permissions.");
    }
    const page = pageWindow(url, 20, 100);
    if (page instanceof Response) return page;
    const all = videoIds.flatMap((id) => commentsOfVideo(id));
    const status = (c: SandboxComment) => moderation.get(c.id) ?? "published";
    const threads = all.filter((c) => c.parentId === null && status(c) === wanted).sort((a, b) => b.publishedAt - a.publishedAt || a.id.localeCompare(b.id));
    const slice = threads.slice(page.offset, page.offset + page.size);
    const items = slice.map((top) => {
      const replies = all.filter((c) => c.parentId === top.id && status(c) === "published").sort((a, b) => a.publishedAt - b.publishedAt);
      const thread: Record<string, unknown> = {
        kind: "youtube#commentThread",
        etag: createHash("md5").update(`thread:${top.id}`).digest("base64url"),
        id: top.id,
        snippet: { channelId: top.channelId, videoId: top.videoId, topLevelComment: commentResource(top), canReply: true, totalReplyCount: replies.length, isPublic: true },
      };
      // Like YouTube, a thread carries only its first replies; comments.list?parentId= has them all.
      if (parts.has("replies") && replies.length > 0) thread.replies = { comments: replies.slice(0, THREAD_REPLIES).map(commentResource) };
      return thread;
    });
    const next = page.offset + page.size < threads.length ? pageToken(page.offset + page.size) : undefined;
    return Response.json({ kind: "youtube#commentThreadListResponse", ...(next ? { nextPageToken: next } : {}), pageInfo: { totalResults: threads.length, resultsPerPage: page.size }, items });
  }

  function commentsList(url: URL): Response {
    const parts = partsOf(url);
    if (parts instanceof Response) return parts;
    const parentId = url.searchParams.get("parentId");
    const ids = (url.searchParams.get("id") ?? "").split(",").filter(Boolean);
    let found: SandboxComment[];
    if (parentId) {
      const parent = findComment(parentId);
      if (!parent) return apiError(404, "commentNotFound", "The comment identified by the parentId parameter could not be found.", { location: "parentId" });
      found = commentsOfVideo(parent.videoId)
        .filter((c) => c.parentId === parentId && (moderation.get(c.id) ?? "published") === "published")
        .sort((a, b) => a.publishedAt - b.publishedAt);
    } else if (ids.length > 0) {
      found = ids.map((id) => findComment(id)).filter((c): c is SandboxComment => c !== null);
    } else {
      return apiError(400, "missingRequiredParameter", "No filter selected. Expected one of: id, parentId");
    }
    const page = pageWindow(url, 20, 100);
    if (page instanceof Response) return page;
    const items = found.slice(page.offset, page.offset + page.size).map(commentResource);
    const next = page.offset + page.size < found.length ? pageToken(page.offset + page.size) : undefined;
    return Response.json({ kind: "youtube#commentListResponse", ...(next ? { nextPageToken: next } : {}), pageInfo: { totalResults: found.length, resultsPerPage: page.size }, items });
  }

  function findComment(id: string): SandboxComment | null {
    return comments.get(id) ?? history().comments.get(id) ?? null;
  }

  async function insertComment(claims: TokenClaims, request: Request): Promise<Response> {
    const body = (await request.json().catch(() => null)) as { snippet?: { parentId?: unknown; textOriginal?: unknown } } | null;
    const parentId = typeof body?.snippet?.parentId === "string" ? body.snippet.parentId : "";
    const text = typeof body?.snippet?.textOriginal === "string" ? body.snippet.textOriginal : "";
    if (!parentId) return apiError(400, "parentIdMissing", "The comment must be a reply: snippet.parentId is required (top-level comments go through commentThreads.insert).");
    if (!text.trim()) return apiError(400, "commentTextRequired", "The comment resource that is being inserted must specify a value for the snippet.textOriginal property.");
    if (text.length > 10_000) return apiError(400, "commentTextTooLong", "The comment resource that is being inserted contains too many characters in the snippet.textOriginal property.");
    const parent = findComment(parentId);
    if (!parent) return apiError(404, "parentCommentNotFound", "The specified parent comment could not be found.");
    if (parent.parentId) return apiError(400, "operationNotSupported", "Replies can only be made to top-level comments.");
    const quotaProblem = charge(COSTS.commentsInsert);
    if (quotaProblem) return quotaProblem;
    const account = youtubeAccountById(claims.u);
    const reply: SandboxComment = {
      id: `${parentId}.${randomId(22)}`,
      videoId: parent.videoId,
      channelId: parent.channelId,
      parentId,
      authorChannelId: claims.u,
      authorName: account?.handle ?? claims.u,
      text,
      publishedAt: clock(),
    };
    comments.set(reply.id, reply);
    return Response.json(commentResource(reply));
  }

  function setModeration(claims: TokenClaims, url: URL): Response {
    const ids = (url.searchParams.get("id") ?? "").split(",").filter(Boolean);
    const status = url.searchParams.get("moderationStatus");
    if (ids.length === 0) return apiError(400, "idRequired", "Required parameter: id", { location: "id" });
    if (status !== "heldForReview" && status !== "published" && status !== "rejected") {
      return apiError(400, "invalidModerationStatus", "The moderationStatus parameter must be heldForReview, published or rejected.", { location: "moderationStatus" });
    }
    const targets = ids.map((id) => findComment(id));
    if (targets.some((c) => c === null)) return apiError(404, "commentNotFound", "One or more comments could not be found.", { location: "id" });
    if (targets.some((c) => c!.channelId !== claims.u)) {
      return apiError(403, "forbidden", "The comment cannot be moderated: it is not on one of the channel's videos.");
    }
    const quotaProblem = charge(COSTS.moderate);
    if (quotaProblem) return quotaProblem;
    for (const c of targets) moderation.set(c!.id, status);
    return new Response(null, { status: 204 });
  }

  // ─── Analytics ────────────────────────────────────────────────────────────────────────────────
  const ANALYTICS_METRICS = new Set(["views", "likes", "dislikes", "comments", "shares", "subscribersGained", "subscribersLost", "estimatedMinutesWatched"]);

  function reports(claims: TokenClaims, url: URL): Response {
    const scope = requireScope(claims, SCOPE_ANALYTICS);
    if (scope) return scope;
    const params = url.searchParams;
    const ids = params.get("ids");
    if (ids !== "channel==MINE" && ids !== `channel==${claims.u}`) return apiError(403, "forbidden", "Forbidden", { domain: "global" });
    const start = params.get("startDate") ?? "";
    const end = params.get("endDate") ?? "";
    if (!/^\d{4}-\d{2}-\d{2}$/.test(start) || !/^\d{4}-\d{2}-\d{2}$/.test(end)) {
      return apiError(400, "badRequest", "Required parameters startDate and endDate must be YYYY-MM-DD.", { domain: "global" });
    }
    const metrics = (params.get("metrics") ?? "").split(",").filter(Boolean);
    const unknown = metrics.find((m) => !ANALYTICS_METRICS.has(m));
    if (metrics.length === 0 || unknown) return apiError(400, "badRequest", `Unknown identifier (${unknown ?? "metrics"}) given in field parameters.metrics.`, { domain: "global" });
    const dimensions = params.get("dimensions");
    if (dimensions && dimensions !== "day") return apiError(400, "badRequest", "The sandbox supports dimensions=day only.", { domain: "global" });
    const account = youtubeAccountById(claims.u)!;
    const from = Date.parse(`${start}T00:00:00Z`);
    const to = Math.min(Date.parse(`${end}T00:00:00Z`), dayStart(clock()));
    const days = from <= to ? dailyHistory(account, from, to) : [];
    const value = (row: (typeof days)[number], metric: string): number => {
      if (metric === "estimatedMinutesWatched") return Math.round(row.views * 1.7);
      if (metric === "dislikes") return Math.round(row.likes * 0.03);
      return row[metric as "views"];
    };
    const columnHeaders = [
      ...(dimensions ? [{ name: "day", columnType: "DIMENSION", dataType: "STRING" }] : []),
      ...metrics.map((name) => ({ name, columnType: "METRIC", dataType: "INTEGER" })),
    ];
    const rows = dimensions
      ? days.map((row) => [row.date, ...metrics.map((m) => value(row, m))])
      : [metrics.map((m) => days.reduce((sum, row) => sum + value(row, m), 0))];
    return Response.json({ kind: "youtubeAnalytics#resultTable", columnHeaders, rows });
  }

  // ─── Sandbox control (not part of Google's API) ───────────────────────────────────────────────
  async function control(path: string, request: Request): Promise<Response> {
    const body = request.method === "POST" ? ((await request.json().catch(() => ({}))) as Record<string, unknown>) : {};
    if (path === "/_sandbox/state" && request.method === "GET") {
      return Response.json({
        faults,
        quota: { used: api.quotaUsed(), dailyUnits, insertCost, day: pacificDay(clock()) },
        verifiedProject,
        testingMode,
        uploadSessions: [...sessions.values()].map((s) => ({ id: s.id, received: s.received, total: s.total, videoId: s.videoId })),
        accounts: SANDBOX_YOUTUBE_ACCOUNTS,
      });
    }
    if (path === "/_sandbox/posts" && request.method === "GET") return Response.json({ posts: api.posts() });
    if (path === "/_sandbox/faults" && request.method === "POST") {
      api.setFaults(body as YouTubeSandboxFaults);
      return Response.json({ faults });
    }
    if (path === "/_sandbox/reset" && request.method === "POST") {
      api.reset();
      return Response.json({ ok: true });
    }
    if (path === "/_sandbox/upload-sessions/expire" && request.method === "POST") {
      return Response.json({ expired: api.expireUploadSessions() });
    }
    if (path === "/_sandbox/comments" && request.method === "POST") {
      if (typeof body.videoId !== "string" || typeof body.text !== "string") {
        return apiError(400, "badRequest", "videoId and text are required");
      }
      try {
        const created = api.addComment({
          videoId: body.videoId,
          text: body.text,
          authorName: typeof body.authorName === "string" ? body.authorName : undefined,
          parentId: typeof body.parentId === "string" ? body.parentId : null,
        });
        return Response.json(commentResource(comments.get(created.id)!), { status: 201 });
      } catch (error) {
        return apiError(404, "notFound", error instanceof Error ? error.message : "not found");
      }
    }
    return apiError(404, "notFound", `Sandbox control ${path} not found`);
  }

  function injectFault(): Response | null {
    if (faults.rateLimited && faults.rateLimited > 0) {
      faults.rateLimited--;
      if (faults.rateLimitStatus === 429) return apiError(429, "rateLimitExceeded", "Resource has been exhausted (e.g. check quota).", { domain: "usageLimits" });
      return apiError(403, "rateLimitExceeded", "The request cannot be completed because you have exceeded your rate limit.", { domain: "usageLimits" });
    }
    if (faults.serverErrors && faults.serverErrors > 0) {
      faults.serverErrors--;
      const status = faults.serverErrorStatus ?? 500;
      return apiError(status, "backendError", status === 503 ? "The service is currently unavailable." : "Backend Error", { domain: "global" });
    }
    return null;
  }

  // ─── Routing ──────────────────────────────────────────────────────────────────────────────────
  async function route(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = routePath(url.pathname, basePath);
    const method = request.method;

    if (path.startsWith("/_sandbox/")) return control(path, request);
    if (path === "/o/oauth2/v2/auth" || path === "/o/oauth2/auth") {
      if (method === "GET") return consentGet(url);
      if (method === "POST") return consentPost(request);
    }
    if (path === "/token" && method === "POST") return token(request);
    if (path === "/revoke" && method === "POST") return revoke(request, url);

    const fault = injectFault();
    if (fault) return fault;

    // The session URI is the credential of a resumable upload's PUTs, as on Google's servers.
    if (path === "/upload/youtube/v3/videos" && method === "PUT") return putUpload(request, url);

    const claims = authenticate(request);
    if (claims instanceof Response) return claims;

    if (path === "/upload/youtube/v3/videos" && method === "POST") return openUpload(claims, request, url);
    if (path === "/v2/reports" && method === "GET") return reports(claims, url);

    if (path.startsWith("/youtube/v3/")) {
      const resource = path.slice("/youtube/v3".length);
      const writing = method !== "GET";
      const scope = requireScope(claims, writing ? SCOPE_MANAGE : SCOPE_READ);
      if (scope) return scope;
      if (method === "GET") {
        const cost = resource === "/search" ? COSTS.search : COSTS.list;
        const known = ["/channels", "/videos", "/playlistItems", "/search", "/commentThreads", "/comments"].includes(resource);
        if (known) {
          const quotaProblem = charge(cost);
          if (quotaProblem) return quotaProblem;
        }
        if (resource === "/channels") return channelsList(claims, url);
        if (resource === "/videos") return videosList(url);
        if (resource === "/playlistItems") return playlistItems(url);
        if (resource === "/search") return search(claims, url);
        if (resource === "/commentThreads") return commentThreads(claims, url);
        if (resource === "/comments") return commentsList(url);
      }
      if (method === "POST" && resource === "/comments") return insertComment(claims, request);
      if (method === "POST" && resource === "/comments/setModerationStatus") return setModeration(claims, url);
    }
    return apiError(404, "notFound", `Not Found: ${method} ${path}`, { domain: "global" });
  }

  const api: YouTubeSandbox = {
    async handler(request) {
      try {
        return await route(request);
      } catch {
        return apiError(500, "backendError", "Backend Error", { domain: "global" });
      }
    },
    clientId,
    clientSecret,
    accounts: SANDBOX_YOUTUBE_ACCOUNTS,
    setFaults(next) {
      faults = { ...next };
    },
    posts() {
      const all = [...videos.values()].sort((a, b) => a.publishedAt - b.publishedAt);
      return all.map((v) => ({
        id: v.id,
        channelId: v.channelId,
        title: v.title,
        description: v.description,
        privacyStatus: v.privacyStatus,
        uploadStatus: uploadStatusOf(v).uploadStatus,
        sizeBytes: v.sizeBytes,
        publishedAt: new Date(v.publishedAt).toISOString(),
        permalink: `https://www.youtube.com/watch?v=${v.id}`,
        publishCount: all.filter((o) => o.fingerprint === v.fingerprint).length,
        md5: v.md5,
      }));
    },
    addComment(input) {
      const found = findVideo(input.videoId);
      if (!found) throw new Error(`video ${input.videoId} not found`);
      let parentId: string | null = null;
      if (input.parentId) {
        const parent = findComment(input.parentId);
        if (!parent || parent.videoId !== input.videoId) throw new Error(`comment ${input.parentId} not found on ${input.videoId}`);
        parentId = parent.parentId ?? parent.id;
      }
      const authorName = input.authorName ?? "Visitante do Sandbox";
      const id = parentId ? `${parentId}.${randomId(22)}` : `Ugz${randomId(20)}4AaABAg`;
      comments.set(id, {
        id,
        videoId: input.videoId,
        channelId: found.channelId,
        parentId,
        authorChannelId: `UC${createHash("sha256").update(`author:${authorName}`).digest("base64url").slice(0, 22)}`,
        authorName,
        text: input.text,
        publishedAt: clock(),
      });
      return { id };
    },
    quotaUsed() {
      return quota.get(quotaKey()) ?? 0;
    },
    expireUploadSessions() {
      let n = 0;
      for (const s of sessions.values()) {
        if (s.videoId === null && s.expiresAt > clock()) {
          s.expiresAt = clock();
          n++;
        }
      }
      return n;
    },
    sessionOffset(uploadId) {
      return sessions.get(uploadId)?.received ?? null;
    },
    reset() {
      faults = {};
      usedCodes.clear();
      refreshLastUse.clear();
      revoked.clear();
      granted.clear();
      quota.clear();
      sessions.clear();
      videos.clear();
      comments.clear();
      moderation.clear();
    },
  };
  return api;
}
