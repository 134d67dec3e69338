import { randomUUID } from "node:crypto";

import { chunkPlanProblem, chunkRange, type ChunkPlan } from "~/server/connectors/social/tiktok/chunks";

import { badRequestText, htmlNoStore, redirectNoStore } from "../shared/http";
import { tiktokConsentPage } from "./consent-page";
import { SANDBOX_TIKTOK_ACCOUNTS, tiktokAccountByOpenId, tiktokNumericId, tiktokPermalink, tiktokSandboxHistory, type SandboxTikTokAccount } from "./data";
import { mp4Info } from "./mp4";
import { issueTikTokToken, pkceS256, readTikTokToken, type TikTokTokenClaims } from "./tokens";

/**
 * A simulator of TikTok's Login Kit v2, Content Posting API v2, Display API and the Business API's
 * comment and account endpoints, as one fetch handler. It serves the providers' own paths
 * (www.tiktok.com/v2/auth/authorize/, open.tiktokapis.com/v2/…, open-upload.tiktokapis.com/video/,
 * business-api.tiktok.com/open_api/v1.3/…) under one base path; the client is given that base for
 * each host. Rules it enforces are the ones in /work/shared/FACTS.md and docs/social-tiktok.md:
 * single-use codes, 2 h tokens, rotating refresh tokens, per-user per-endpoint rate limits, the
 * creator's privacy options (unaudited apps post privately only), FILE_UPLOAD chunk rules, verified
 * domains for PULL_FROM_URL, processing and moderation delays.
 */

/** Public, fixed credentials of the sandbox app (used when no real credentials are configured). */
export const TIKTOK_SANDBOX_CLIENT_KEY = "sbawsuperseller0001";
export const TIKTOK_SANDBOX_CLIENT_SECRET = "sandbox-tiktok-client-secret";

const ACCESS_TTL_SECONDS = 7_200;
const REFRESH_TTL_SECONDS = 15_552_000; // 180 days
const CODE_TTL_MS = 10 * 60_000;
const APP_SCOPES = ["user.info.basic", "user.info.stats", "video.publish", "video.upload", "video.list"];
const MAX_VIDEO_BYTES = 4 * 1024 * 1024 * 1024;
/** Per user token, per endpoint, per minute (TikTok's published limits). */
const RATE_LIMITS = { creatorInfo: 20, init: 6, status: 30, videoList: 600, videoQuery: 600, userInfo: 600 } as const;
type RateLimitedEndpoint = keyof typeof RATE_LIMITS;
/** Bytes kept from the start of an upload to check the container (ftyp) and duration (mvhd). */
const HEAD_BYTES = 1024 * 1024;
/** An upload_url is valid for one hour after init. */
const UPLOAD_URL_TTL_MS = 3_600_000;

export type TikTokSandboxFaults = {
  /** The next N Content Posting / Display / Business API requests answer 429 (Business: code 40100). */
  rateLimited?: number;
  /** The next N API requests answer 500 (Business: code 50002). */
  serverErrors?: number;
  /**
   * The next live-making mutation (the final chunk PUT, or a PULL_FROM_URL init) is carried out,
   * then answered 500 ("error") or never answered ("drop") — the client cannot know it worked.
   */
  lostPublishResponse?: "error" | "drop" | null;
  /** The next N chunk PUTs answer 500 without storing the chunk (the upload host failed). */
  chunkErrors?: number;
  /** The next upload that completes ends FAILED with this fail_reason (e.g. "spam_risk_text"). */
  failNextPublish?: string | null;
};

export type TikTokSandboxOptions = {
  /** Current time in ms; tests move it to expire tokens and pass rate-limit windows. */
  clock?: () => number;
  clientKey?: string;
  clientSecret?: string;
  /** Signs tokens; keep it stable across restarts so issued tokens stay valid. */
  tokenSecret?: string;
  /** Path prefix the handler is mounted under, e.g. "/api/sandbox/tiktok" ("" at the root). */
  basePath?: string;
  /** Public base URL used in upload_url (default: the request's origin + basePath). */
  publicUrl?: string;
  /** Audited apps may post publicly; unaudited ones only SELF_ONLY (default true, for the demo). */
  audited?: boolean;
  /** Hosts whose URLs PULL_FROM_URL accepts (TikTok requires a verified domain). */
  verifiedDomains?: string[];
  /** Time from the last byte to PUBLISH_COMPLETE (default 2 s). */
  processingMs?: number;
  /** Time from PUBLISH_COMPLETE to the public post id (moderation; default 3 s). */
  moderationMs?: number;
  /** creator_info's max_video_post_duration_sec (default 600). */
  maxVideoPostDurationSec?: number;
  /** Posts a creator may make through the API per rolling 24 h before spam_risk_too_many_posts (default 15). */
  dailyPostCap?: number;
  /** Enforce TikTok's per-minute rate limits (default true). */
  rateLimits?: boolean;
  faults?: TikTokSandboxFaults;
  /** Used to download PULL_FROM_URL videos. */
  fetch?: typeof fetch;
};

type Publish = {
  publishId: string;
  openId: string;
  title: string;
  privacy: string;
  source: "FILE_UPLOAD" | "PULL_FROM_URL";
  plan: ChunkPlan | null;
  uploadToken: string;
  receivedChunks: number;
  uploadedBytes: number;
  head: Buffer | null;
  createdAt: number;
  downloading: boolean;
  /** When the last byte arrived (upload or download). */
  completedAt: number | null;
  /** Decided when the last byte arrives, applied once processing is over. */
  failReason: string | null;
  postId: string | null;
  disableComment: boolean;
};

type SandboxVideo = { id: string; openId: string; title: string; createTime: number; username: string; views: number; likes: number; comments: number; shares: number };

type SandboxComment = {
  comment_id: string;
  video_id: string;
  user_id: string;
  username: string;
  display_name: string;
  text: string;
  create_time: number;
  parent_comment_id: string;
  status: "PUBLIC" | "HIDDEN";
  likes: number;
  replies: number;
  owner: boolean;
};

export type SandboxTikTokPost = {
  id: string | null;
  publish_id: string;
  open_id: string;
  title: string;
  privacy_level: string;
  status: string;
  fail_reason: string | null;
  create_time: number | null;
  /** How many completed publishes this account has with the same title (1 = published once). */
  publish_count: number;
};

export type TikTokSandbox = {
  handler: (request: Request) => Promise<Response>;
  readonly clientKey: string;
  readonly clientSecret: string;
  readonly accounts: readonly SandboxTikTokAccount[];
  setFaults(faults: TikTokSandboxFaults): void;
  setAudited(audited: boolean): void;
  /** Every upload that completed (whatever its final status), oldest first. */
  posts(): SandboxTikTokPost[];
  /** Adds an audience comment to a video; returns it in the Business API's format. */
  addComment(input: { videoId: string; text: string; username?: string; parentCommentId?: string }): SandboxComment | null;
  /** Waits for in-flight PULL_FROM_URL downloads (tests). */
  settle(): Promise<void>;
  reset(): void;
};

type OpenApiError = { code: string; message: string };

function openApi(data: unknown, error: OpenApiError = { code: "ok", message: "" }, status = 200, headers?: HeadersInit): Response {
  return Response.json({ data, error: { ...error, log_id: randomUUID().replace(/-/g, "").slice(0, 24).toUpperCase() } }, { status, headers });
}

function openApiError(status: number, code: string, message: string, headers?: HeadersInit): Response {
  return openApi({}, { code, message }, status, headers);
}

function businessApi(code: number, message: string, data: unknown = {}): Response {
  // The Business API answers HTTP 200 and puts the outcome in `code` (0 = OK).
  return Response.json({ code, message, request_id: randomUUID().replace(/-/g, ""), data });
}

function oauthError(status: number, error: string, description: string): Response {
  return Response.json({ error, error_description: description, log_id: randomUUID().replace(/-/g, "").slice(0, 24).toUpperCase() }, { status });
}

function requestedFields(url: URL): string[] {
  return (url.searchParams.get("fields") ?? "")
    .split(",")
    .map((f) => f.trim())
    .filter(Boolean);
}

function pick(record: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  return Object.fromEntries(fields.filter((f) => f in record).map((f) => [f, record[f]]));
}

async function readJson(request: Request): Promise<Record<string, unknown> | null> {
  try {
    const parsed: unknown = JSON.parse(await request.text());
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function createTikTokSandbox(options: TikTokSandboxOptions = {}): TikTokSandbox {
  const clock = options.clock ?? Date.now;
  const clientKey = options.clientKey ?? TIKTOK_SANDBOX_CLIENT_KEY;
  const clientSecret = options.clientSecret ?? TIKTOK_SANDBOX_CLIENT_SECRET;
  const tokenSecret = options.tokenSecret ?? `tiktok-sandbox:${clientSecret}`;
  const basePath = (options.basePath ?? "").replace(/\/$/, "");
  const processingMs = options.processingMs ?? 2_000;
  const moderationMs = options.moderationMs ?? 3_000;
  const maxDurationSec = options.maxVideoPostDurationSec ?? 600;
  const dailyPostCap = options.dailyPostCap ?? 15;
  const verifiedDomains = options.verifiedDomains ?? ["localhost", "127.0.0.1"];
  const enforceRateLimits = options.rateLimits ?? true;
  const doFetch = options.fetch ?? fetch;

  let audited = options.audited ?? true;
  let faults: TikTokSandboxFaults = { ...options.faults };
  const used = new Map<string, number>(); // jti → expiry: codes and rotated refresh tokens
  const calls = new Map<string, number[]>(); // `${endpoint}:${openId}` → call times within the last minute
  const publishes = new Map<string, Publish>();
  const uploads = new Map<string, string>(); // upload_id → publish_id
  const published = new Map<string, SandboxVideo>(); // videos created through the API, by id
  const comments = new Map<string, SandboxComment[]>(); // video id → comments (history loaded lazily)
  const hiddenOverlay = new Map<string, boolean>();
  const inflight = new Set<Promise<void>>();

  function markUsed(claims: TikTokTokenClaims): boolean {
    const now = clock();
    for (const [jti, exp] of used) if (exp < now) used.delete(jti);
    if (used.has(claims.jti)) return false;
    used.set(claims.jti, claims.e);
    return true;
  }

  /** Counts one call; returns the seconds to wait when the per-minute limit is exceeded. */
  function rateLimit(endpoint: RateLimitedEndpoint, openId: string): number | null {
    if (!enforceRateLimits) return null;
    const now = clock();
    const key = `${endpoint}:${openId}`;
    const recent = (calls.get(key) ?? []).filter((t) => t > now - 60_000);
    if (recent.length >= RATE_LIMITS[endpoint]) {
      calls.set(key, recent);
      return Math.max(1, Math.ceil((recent[0]! + 60_000 - now) / 1000));
    }
    recent.push(now);
    calls.set(key, recent);
    return null;
  }

  function rateLimitedResponse(retryAfterSeconds: number): Response {
    return openApiError(429, "rate_limit_exceeded", "The API rate limit was exceeded. Please try again later.", { "retry-after": String(retryAfterSeconds) });
  }

  // ─── OAuth ────────────────────────────────────────────────────────────────────────────────────
  function authorizeProblem(params: URLSearchParams): string | null {
    if (params.get("client_key") !== clientKey) return "client_key is invalid";
    if (params.get("response_type") !== "code") return "response_type must be code";
    const redirect = params.get("redirect_uri");
    if (!redirect || !/^https?:\/\//.test(redirect)) return "redirect_uri is required";
    const scopes = (params.get("scope") ?? "").split(",").filter(Boolean);
    if (scopes.length === 0) return "scope is required";
    const unknown = scopes.filter((s) => !APP_SCOPES.includes(s));
    if (unknown.length > 0) return `scope ${unknown.join(",")} is not enabled for this app`;
    const method = params.get("code_challenge_method");
    if (params.get("code_challenge") && method && method !== "S256") return "code_challenge_method must be S256";
    return null;
  }

  function authorizeGet(url: URL): Response {
    const problem = authorizeProblem(url.searchParams);
    if (problem) return badRequestText(problem);
    return htmlNoStore(tiktokConsentPage(`${basePath}/v2/auth/authorize/`, url.searchParams));
  }

  async function authorizePost(request: Request): Promise<Response> {
    const form = new URLSearchParams(await request.text());
    const problem = authorizeProblem(form);
    if (problem) return badRequestText(problem);
    const redirect = new URL(form.get("redirect_uri")!);
    const scopes = form.get("scope")!.split(",").filter(Boolean);
    if (form.get("decision") !== "allow") {
      redirect.searchParams.set("error", "access_denied");
      redirect.searchParams.set("error_description", "The user denied the authorization");
    } else {
      const account = tiktokAccountByOpenId(form.get("open_id") ?? "") ?? SANDBOX_TIKTOK_ACCOUNTS[0]!;
      const challenge = form.get("code_challenge");
      const code = issueTikTokToken(tokenSecret, {
        k: "code",
        c: clientKey,
        o: account.openId,
        s: scopes,
        e: clock() + CODE_TTL_MS,
        r: form.get("redirect_uri")!,
        ...(challenge ? { pc: challenge } : {}),
      });
      redirect.searchParams.set("code", code);
      redirect.searchParams.set("scopes", scopes.join(","));
    }
    const state = form.get("state");
    if (state !== null) redirect.searchParams.set("state", state);
    return redirectNoStore(redirect.toString());
  }

  function issueTokens(openId: string, scopes: string[]): Response {
    const now = clock();
    const accessToken = issueTikTokToken(tokenSecret, { k: "access", c: clientKey, o: openId, s: scopes, e: now + ACCESS_TTL_SECONDS * 1000 });
    const refreshToken = issueTikTokToken(tokenSecret, { k: "refresh", c: clientKey, o: openId, s: scopes, e: now + REFRESH_TTL_SECONDS * 1000 });
    return Response.json(
      {
        access_token: accessToken,
        expires_in: ACCESS_TTL_SECONDS,
        open_id: openId,
        refresh_token: refreshToken,
        refresh_expires_in: REFRESH_TTL_SECONDS,
        scope: scopes.join(","),
        token_type: "Bearer",
      },
      { headers: { "cache-control": "no-store" } },
    );
  }

  async function oauthToken(request: Request): Promise<Response> {
    if (!(request.headers.get("content-type") ?? "").includes("application/x-www-form-urlencoded")) {
      return oauthError(400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded");
    }
    const form = new URLSearchParams(await request.text());
    if (form.get("client_key") !== clientKey || form.get("client_secret") !== clientSecret) {
      return oauthError(401, "invalid_client", "Client key or secret is incorrect.");
    }
    const now = clock();
    const grantType = form.get("grant_type");
    if (grantType === "authorization_code") {
      const code = form.get("code");
      const claims = code ? readTikTokToken(tokenSecret, code, "code") : null;
      if (!claims || claims.c !== clientKey) return oauthError(400, "invalid_grant", "Authorization code is invalid.");
      if (claims.e <= now) return oauthError(400, "invalid_grant", "Authorization code is expired.");
      if (form.get("redirect_uri") !== claims.r) return oauthError(400, "invalid_grant", "redirect_uri does not match the authorization request.");
      if (claims.pc) {
        const verifier = form.get("code_verifier");
        if (!verifier) return oauthError(400, "invalid_request", "code_verifier is required.");
        if (pkceS256(verifier) !== claims.pc) return oauthError(400, "invalid_grant", "code_verifier does not match the code_challenge.");
      }
      if (!markUsed(claims)) return oauthError(400, "invalid_grant", "Authorization code has been used.");
      return issueTokens(claims.o, claims.s);
    }
    if (grantType === "refresh_token") {
      const token = form.get("refresh_token");
      const claims = token ? readTikTokToken(tokenSecret, token, "refresh") : null;
      if (!claims || claims.c !== clientKey) return oauthError(400, "invalid_grant", "Refresh token is invalid.");
      if (claims.e <= now) return oauthError(400, "invalid_grant", "Refresh token is expired.");
      // Rotation: each refresh answers a new refresh token and retires the one presented.
      if (!markUsed(claims)) return oauthError(400, "invalid_grant", "Refresh token is invalid or has been rotated.");
      return issueTokens(claims.o, claims.s);
    }
    return oauthError(400, "unsupported_grant_type", `grant_type ${grantType ?? "(missing)"} is not supported.`);
  }

  function authenticate(request: Request): TikTokTokenClaims | Response {
    const token = (request.headers.get("authorization") ?? "").replace(/^Bearer\s+/i, "");
    const claims = token ? readTikTokToken(tokenSecret, token, "access") : null;
    if (!claims || claims.c !== clientKey || claims.e <= clock()) {
      return openApiError(401, "access_token_invalid", "The access token is invalid or not found in the request.");
    }
    return claims;
  }

  function requireScope(claims: TikTokTokenClaims, scope: string): Response | null {
    return claims.s.includes(scope) ? null : openApiError(401, "scope_not_authorized", `The user did not authorize the scope required for completing this request (${scope}).`);
  }

  // ─── Display API ──────────────────────────────────────────────────────────────────────────────
  function historyOf(openId: string) {
    return tiktokSandboxHistory(openId, new Date(clock()));
  }

  function videosOf(openId: string): SandboxVideo[] {
    // Moderation may have finished since the last status/fetch: the list shows what is public now.
    for (const publish of publishes.values()) if (publish.openId === openId) resolve(publish);
    const account = tiktokAccountByOpenId(openId);
    const username = account?.username ?? "sandbox";
    const history = historyOf(openId).posts.map<SandboxVideo>((p) => ({
      id: p.externalId,
      openId,
      title: p.caption,
      createTime: Math.floor(p.publishedAt.getTime() / 1000),
      username,
      views: p.metrics.views,
      likes: p.metrics.likes,
      comments: p.metrics.comments,
      shares: p.metrics.shares,
    }));
    const mine = [...published.values()].filter((v) => v.openId === openId);
    return [...mine, ...history].sort((a, b) => b.createTime - a.createTime);
  }

  function videoFields(video: SandboxVideo): Record<string, unknown> {
    const commentCount = commentsOf(video.id, video.openId).filter((c) => c.status === "PUBLIC" && !c.owner).length;
    return {
      id: video.id,
      title: video.title,
      video_description: video.title,
      create_time: video.createTime,
      share_url: tiktokPermalink(video.username, video.id),
      embed_link: `https://www.tiktok.com/player/v1/${video.id}`,
      duration: 15,
      view_count: video.views,
      like_count: video.likes,
      comment_count: Math.max(video.comments, commentCount),
      share_count: video.shares,
    };
  }

  function userInfo(claims: TikTokTokenClaims, url: URL): Response {
    const limited = rateLimit("userInfo", claims.o);
    if (limited) return rateLimitedResponse(limited);
    const account = tiktokAccountByOpenId(claims.o);
    if (!account) return openApiError(404, "user_not_found", "The user does not exist.");
    const followers = historyOf(account.openId).accountDaily.at(-1)?.followers ?? account.followerBase;
    const user = {
      open_id: account.openId,
      union_id: `union-${account.openId}`,
      avatar_url: account.avatarUrl,
      display_name: account.displayName,
      username: account.username,
      profile_deep_link: `https://www.tiktok.com/@${account.username}`,
      follower_count: followers,
      following_count: 180,
      likes_count: videosOf(account.openId).reduce((sum, v) => sum + v.likes, 0),
      video_count: videosOf(account.openId).length,
    };
    const fields = requestedFields(url);
    if (fields.length === 0) return openApiError(400, "invalid_params", "fields is required.");
    if (!claims.s.includes("user.info.stats") && fields.some((f) => ["follower_count", "following_count", "likes_count", "video_count"].includes(f))) {
      return openApiError(401, "scope_not_authorized", "The user did not authorize the scope required for completing this request (user.info.stats).");
    }
    return openApi({ user: pick(user, fields) });
  }

  async function videoList(claims: TikTokTokenClaims, request: Request, url: URL): Promise<Response> {
    const denied = requireScope(claims, "video.list");
    if (denied) return denied;
    const limited = rateLimit("videoList", claims.o);
    if (limited) return rateLimitedResponse(limited);
    const fields = requestedFields(url);
    if (fields.length === 0) return openApiError(400, "invalid_params", "fields is required.");
    const body = (await readJson(request)) ?? {};
    const maxCount = body.max_count === undefined ? 10 : Number(body.max_count);
    if (!Number.isInteger(maxCount) || maxCount < 1 || maxCount > 20) return openApiError(400, "invalid_params", "max_count must be between 1 and 20.");
    // The cursor is a UTC timestamp in ms: videos created before it.
    const cursor = body.cursor === undefined || body.cursor === null ? null : Number(body.cursor);
    const all = videosOf(claims.o).filter((v) => cursor === null || v.createTime * 1000 < cursor);
    const page = all.slice(0, maxCount);
    const last = page.at(-1);
    return openApi({
      videos: page.map((v) => pick(videoFields(v), fields)),
      cursor: last ? last.createTime * 1000 : (cursor ?? 0),
      has_more: all.length > page.length,
    });
  }

  async function videoQuery(claims: TikTokTokenClaims, request: Request, url: URL): Promise<Response> {
    const denied = requireScope(claims, "video.list");
    if (denied) return denied;
    const limited = rateLimit("videoQuery", claims.o);
    if (limited) return rateLimitedResponse(limited);
    const fields = requestedFields(url);
    if (fields.length === 0) return openApiError(400, "invalid_params", "fields is required.");
    const body = await readJson(request);
    const ids = (body?.filters as { video_ids?: unknown } | undefined)?.video_ids;
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > 20 || !ids.every((id) => typeof id === "string")) {
      return openApiError(400, "invalid_params", "filters.video_ids must hold 1 to 20 video ids.");
    }
    const mine = new Map(videosOf(claims.o).map((v) => [v.id, v]));
    // Ids that are not the user's (or do not exist) are silently left out, as TikTok does.
    const videos = (ids as string[]).flatMap((id) => (mine.has(id) ? [pick(videoFields(mine.get(id)!), fields)] : []));
    return openApi({ videos, cursor: 0, has_more: false });
  }

  // ─── Content Posting API ──────────────────────────────────────────────────────────────────────
  function privacyOptions(): string[] {
    return audited ? ["PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR", "SELF_ONLY"] : ["SELF_ONLY"];
  }

  function creatorInfo(claims: TikTokTokenClaims): Response {
    const denied = requireScope(claims, "video.publish");
    if (denied) return denied;
    const limited = rateLimit("creatorInfo", claims.o);
    if (limited) return rateLimitedResponse(limited);
    const account = tiktokAccountByOpenId(claims.o);
    return openApi({
      creator_avatar_url: account?.avatarUrl ?? "",
      creator_username: account?.username ?? "sandbox",
      creator_nickname: account?.displayName ?? "Sandbox",
      privacy_level_options: privacyOptions(),
      comment_disabled: false,
      duet_disabled: false,
      stitch_disabled: true,
      max_video_post_duration_sec: maxDurationSec,
    });
  }

  function uploadUrlBase(request: Request): string {
    if (options.publicUrl) return options.publicUrl.replace(/\/+$/, "");
    return `${new URL(request.url).origin}${basePath}`;
  }

  async function videoInit(claims: TikTokTokenClaims, request: Request): Promise<Response> {
    const denied = requireScope(claims, "video.publish");
    if (denied) return denied;
    const limited = rateLimit("init", claims.o);
    if (limited) return rateLimitedResponse(limited);
    const body = await readJson(request);
    const postInfo = (body?.post_info ?? {}) as Record<string, unknown>;
    const sourceInfo = (body?.source_info ?? {}) as Record<string, unknown>;
    const privacy = postInfo.privacy_level;
    if (typeof privacy !== "string" || !["PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR", "SELF_ONLY"].includes(privacy)) {
      return openApiError(400, "invalid_params", "post_info.privacy_level is required.");
    }
    if (!privacyOptions().includes(privacy)) {
      if (!audited) {
        return openApiError(403, "unaudited_client_can_only_post_to_private_accounts", "Unaudited clients can only post to a private account (privacy_level SELF_ONLY).");
      }
      return openApiError(400, "privacy_level_option_mismatch", "privacy_level is not one of the privacy_level_options returned by creator_info.");
    }
    const dayAgo = clock() - 86_400_000;
    const recentPosts = [...publishes.values()].filter((p) => p.openId === claims.o && p.completedAt !== null && p.completedAt > dayAgo && !p.failReason).length;
    if (recentPosts >= dailyPostCap) {
      return openApiError(403, "spam_risk_too_many_posts", "The daily post cap from the API is reached for the current user.");
    }
    const title = typeof postInfo.title === "string" ? postInfo.title : "";
    if ([...title].length > 2200) return openApiError(400, "invalid_params", "post_info.title is longer than 2200 characters.");
    const publishId = `v_pub_file~v2-1.${tiktokNumericId(claims.o, 900, publishes.size, clock())}`;
    const base: Publish = {
      publishId,
      openId: claims.o,
      title,
      privacy,
      source: "FILE_UPLOAD",
      plan: null,
      uploadToken: randomUUID(),
      receivedChunks: 0,
      uploadedBytes: 0,
      head: null,
      createdAt: clock(),
      downloading: false,
      completedAt: null,
      failReason: null,
      postId: null,
      disableComment: postInfo.disable_comment === true,
    };
    if (sourceInfo.source === "FILE_UPLOAD") {
      const plan = { videoSize: Number(sourceInfo.video_size), chunkSize: Number(sourceInfo.chunk_size), totalChunkCount: Number(sourceInfo.total_chunk_count) };
      const problem = chunkPlanProblem(plan);
      if (problem) return openApiError(400, "invalid_params", `The chunk parameters are invalid: ${problem}.`);
      if (plan.videoSize > MAX_VIDEO_BYTES) return openApiError(400, "invalid_params", "video_size is larger than 4 GB.");
      const uploadId = randomUUID().replace(/-/g, "");
      publishes.set(publishId, { ...base, plan });
      uploads.set(uploadId, publishId);
      const uploadUrl = `${uploadUrlBase(request)}/video/?upload_id=${uploadId}&upload_token=${base.uploadToken}`;
      return openApi({ publish_id: publishId, upload_url: uploadUrl });
    }
    if (sourceInfo.source === "PULL_FROM_URL") {
      const videoUrl = typeof sourceInfo.video_url === "string" ? sourceInfo.video_url : "";
      let host: string;
      try {
        host = new URL(videoUrl).hostname;
      } catch {
        return openApiError(400, "invalid_params", "source_info.video_url is not a valid URL.");
      }
      if (!verifiedDomains.includes(host)) {
        return openApiError(403, "url_ownership_unverified", `The domain ${host} of video_url has not been verified for this app.`);
      }
      const publish: Publish = { ...base, source: "PULL_FROM_URL", downloading: true };
      publishes.set(publishId, publish);
      const p = download(publish, videoUrl).finally(() => inflight.delete(p));
      inflight.add(p);
      const lost = takeLostResponse();
      if (lost) return lost(request);
      return openApi({ publish_id: publishId });
    }
    return openApiError(400, "invalid_params", "source_info.source must be FILE_UPLOAD or PULL_FROM_URL.");
  }

  async function download(publish: Publish, videoUrl: string): Promise<void> {
    try {
      const response = await doFetch(videoUrl, { signal: AbortSignal.timeout(60_000) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const bytes = Buffer.from(await response.arrayBuffer());
      publish.uploadedBytes = bytes.length;
      publish.head = bytes.subarray(0, HEAD_BYTES);
      finishUpload(publish);
    } catch {
      publish.failReason = "video_pull_failed";
      publish.completedAt = clock();
    } finally {
      publish.downloading = false;
    }
  }

  /** The fault that makes the client lose the answer to a mutation the sandbox did carry out. */
  function takeLostResponse(): ((request: Request) => Promise<Response>) | null {
    const mode = faults.lostPublishResponse;
    if (!mode) return null;
    faults = { ...faults, lostPublishResponse: null };
    if (mode === "error") return () => Promise.resolve(openApiError(500, "internal_error", "Something went wrong. Please try again later."));
    // "drop": hold the connection until the client gives up (or 30 s pass).
    return (request) =>
      new Promise<Response>((resolve) => {
        const done = () => resolve(new Response(null, { status: 504 }));
        const timer = setTimeout(done, 30_000);
        request.signal.addEventListener("abort", () => {
          clearTimeout(timer);
          done();
        });
      });
  }

  /** The last byte arrived: decide now how processing will end (format, duration, injected failure). */
  function finishUpload(publish: Publish): void {
    publish.completedAt = clock();
    const info = publish.head ? mp4Info(publish.head) : { isMp4: false, durationSec: null };
    if (faults.failNextPublish) {
      publish.failReason = faults.failNextPublish;
      faults = { ...faults, failNextPublish: null };
    } else if (!info.isMp4) publish.failReason = "file_format_check_failed";
    else if (info.durationSec !== null && info.durationSec > maxDurationSec) publish.failReason = "duration_check_failed";
  }

  async function uploadChunk(request: Request, url: URL): Promise<Response> {
    const publishId = uploads.get(url.searchParams.get("upload_id") ?? "");
    const publish = publishId ? publishes.get(publishId) : undefined;
    if (!publish || !publish.plan || url.searchParams.get("upload_token") !== publish.uploadToken || clock() > publish.createdAt + UPLOAD_URL_TTL_MS) {
      return openApiError(404, "invalid_params", "The upload_url is invalid or has expired.");
    }
    const plan = publish.plan;
    if (faults.chunkErrors && faults.chunkErrors > 0) {
      faults = { ...faults, chunkErrors: faults.chunkErrors - 1 };
      await request.arrayBuffer();
      return openApiError(500, "internal_error", "Something went wrong. Please try again later.");
    }
    const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(request.headers.get("content-range") ?? "");
    if (!range) return openApiError(400, "invalid_params", "Content-Range must be 'bytes {first}-{last}/{total}'.");
    const [first, last, total] = [Number(range[1]), Number(range[2]), Number(range[3])];
    if (total !== plan.videoSize) return openApiError(400, "invalid_params", `Content-Range total ${total} differs from video_size ${plan.videoSize}.`);
    if (!(request.headers.get("content-type") ?? "").startsWith("video/")) return openApiError(400, "invalid_params", "Content-Type must be a video type (video/mp4).");
    const index = Math.floor(first / plan.chunkSize);
    // A chunk sent again after a lost answer is accepted as long as it is the one just received.
    const resend = publish.receivedChunks > 0 && index === publish.receivedChunks - 1;
    if (index !== publish.receivedChunks && !resend) {
      return openApiError(400, "invalid_params", `Chunks must be uploaded in order: expected chunk ${publish.receivedChunks} (byte ${publish.receivedChunks * plan.chunkSize}).`);
    }
    const expected = index < plan.totalChunkCount ? chunkRange(plan, index) : null;
    if (!expected || first !== expected.start || last !== expected.end - 1) {
      return openApiError(400, "invalid_params", `Chunk ${index} must cover bytes ${expected?.start}-${(expected?.end ?? 0) - 1}.`);
    }
    const bytes = new Uint8Array(await request.arrayBuffer());
    const length = Number(request.headers.get("content-length") ?? bytes.length);
    if (bytes.length !== expected.end - expected.start || length !== bytes.length) {
      return openApiError(400, "invalid_params", `Chunk ${index} must carry ${expected.end - expected.start} bytes, got ${bytes.length}.`);
    }
    if (!resend) {
      if (index === 0) publish.head = Buffer.from(bytes.subarray(0, HEAD_BYTES));
      publish.receivedChunks += 1;
      publish.uploadedBytes = expected.end;
    }
    if (publish.receivedChunks < plan.totalChunkCount) return new Response(null, { status: 206, headers: { range: `bytes=0-${publish.uploadedBytes - 1}` } });
    if (resend) return new Response(null, { status: 201 });
    finishUpload(publish);
    const lost = takeLostResponse();
    if (lost) return lost(request);
    return new Response(null, { status: 201 });
  }

  /** Brings a publish up to date with the clock and reports TikTok's status for it. */
  function resolve(publish: Publish): { status: string; fail_reason?: string } {
    if (publish.downloading) return { status: "PROCESSING_DOWNLOAD" };
    if (publish.completedAt === null) return { status: "PROCESSING_UPLOAD" };
    const now = clock();
    if (now < publish.completedAt + processingMs) return { status: publish.source === "PULL_FROM_URL" ? "PROCESSING_DOWNLOAD" : "PROCESSING_UPLOAD" };
    if (publish.failReason) return { status: "FAILED", fail_reason: publish.failReason };
    // Private posts never get a public id; public ones after moderation.
    if (!publish.postId && publish.privacy !== "SELF_ONLY" && now >= publish.completedAt + processingMs + moderationMs) {
      publish.postId = tiktokNumericId(publish.openId, 300, publishes.size, publish.completedAt);
      const account = tiktokAccountByOpenId(publish.openId);
      published.set(publish.postId, {
        id: publish.postId,
        openId: publish.openId,
        title: publish.title,
        createTime: Math.floor((publish.completedAt + processingMs) / 1000),
        username: account?.username ?? "sandbox",
        views: 0,
        likes: 0,
        comments: 0,
        shares: 0,
      });
    }
    return { status: "PUBLISH_COMPLETE" };
  }

  async function statusFetch(claims: TikTokTokenClaims, request: Request): Promise<Response> {
    const limited = rateLimit("status", claims.o);
    if (limited) return rateLimitedResponse(limited);
    const body = await readJson(request);
    const publish = typeof body?.publish_id === "string" ? publishes.get(body.publish_id) : undefined;
    if (!publish || publish.openId !== claims.o) return openApiError(400, "invalid_publish_id", "publish_id does not exist.");
    const { status, fail_reason } = resolve(publish);
    const response = openApi({
      status,
      ...(fail_reason ? { fail_reason } : {}),
      publicaly_available_post_id: publish.postId && status === "PUBLISH_COMPLETE" ? ["__POST_ID__"] : [],
      uploaded_bytes: publish.uploadedBytes,
      downloaded_bytes: publish.source === "PULL_FROM_URL" ? publish.uploadedBytes : 0,
    });
    if (!publish.postId || status !== "PUBLISH_COMPLETE") return response;
    // TikTok sends the post id as a bare 64-bit JSON number (beyond what a double holds exactly):
    // written digit for digit here, so a client that parses it as a plain number gets a wrong id.
    const text = (await response.text()).replace('"__POST_ID__"', publish.postId);
    return new Response(text, { status: response.status, headers: { "content-type": "application/json" } });
  }

  // ─── Business API (comments, account metrics) ─────────────────────────────────────────────────
  function commentsOf(videoId: string, openId: string): SandboxComment[] {
    let list = comments.get(videoId);
    if (!list) {
      list = historyOf(openId)
        .comments.filter((c) => c.postExternalId === videoId)
        .map((c) => ({
          comment_id: c.externalId.slice(c.externalId.indexOf(":") + 1),
          video_id: videoId,
          user_id: c.authorExternalId,
          username: c.authorName,
          display_name: c.authorName,
          text: c.text,
          create_time: Math.floor(c.createdAt.getTime() / 1000),
          parent_comment_id: videoId,
          status: "PUBLIC" as const,
          likes: 0,
          replies: 0,
          owner: false,
        }));
      comments.set(videoId, list);
    }
    return list.map((c) => (hiddenOverlay.has(c.comment_id) ? { ...c, status: hiddenOverlay.get(c.comment_id) ? "HIDDEN" : "PUBLIC" } : c));
  }

  function ownerOfVideo(videoId: string): string | null {
    for (const account of SANDBOX_TIKTOK_ACCOUNTS) if (videosOf(account.openId).some((v) => v.id === videoId)) return account.openId;
    return null;
  }

  function businessAuth(request: Request, businessId: string | null): TikTokTokenClaims | Response {
    const token = request.headers.get("access-token") ?? "";
    const claims = token ? readTikTokToken(tokenSecret, token, "access") : null;
    if (!claims || claims.c !== clientKey || claims.e <= clock()) return businessApi(40105, "Access token is invalid or has expired.");
    if (!businessId) return businessApi(40002, "business_id is required.");
    if (businessId !== claims.o) return businessApi(40001, "No permission to operate this business account.");
    return claims;
  }

  async function business(request: Request, route: string, url: URL): Promise<Response> {
    const body = request.method === "POST" ? ((await readJson(request)) ?? {}) : {};
    const param = (name: string) => (request.method === "POST" ? (typeof body[name] === "string" ? (body[name] as string) : null) : url.searchParams.get(name));
    const claims = businessAuth(request, param("business_id"));
    if (claims instanceof Response) return claims;
    const videoId = param("video_id");

    if (route === "/open_api/v1.3/business/get/") {
      const start = url.searchParams.get("start_date");
      const end = url.searchParams.get("end_date");
      if (!start || !end || !/^\d{4}-\d{2}-\d{2}$/.test(start) || !/^\d{4}-\d{2}-\d{2}$/.test(end) || start > end) {
        return businessApi(40002, "start_date and end_date must be YYYY-MM-DD, start_date <= end_date.");
      }
      const metrics = historyOf(claims.o)
        .accountDaily.filter((d) => d.date >= start && d.date <= end)
        .map((d) => ({ date: d.date, followers_count: d.followers, video_views: d.views, profile_views: d.profileViews, likes: d.likes, comments: d.comments, shares: d.shares }));
      return businessApi(0, "OK", { metrics });
    }

    if (!videoId) return businessApi(40002, "video_id is required.");
    if (ownerOfVideo(videoId) !== claims.o) return businessApi(40002, "The video does not exist or does not belong to this business account.");

    if (route === "/open_api/v1.3/business/comment/list/") {
      const maxCount = Number(url.searchParams.get("max_count") ?? "20");
      if (!Number.isInteger(maxCount) || maxCount < 1 || maxCount > 30) return businessApi(40002, "max_count must be between 1 and 30.");
      const cursor = Number(url.searchParams.get("cursor") ?? "0");
      const all = commentsOf(videoId, claims.o)
        .slice()
        .sort((a, b) => b.create_time - a.create_time || b.comment_id.localeCompare(a.comment_id));
      const page = all.slice(cursor, cursor + maxCount);
      return businessApi(0, "OK", {
        comments: page,
        cursor: cursor + page.length,
        has_more: cursor + page.length < all.length,
      });
    }
    const commentId = param("comment_id");
    const list = commentsOf(videoId, claims.o);
    const target = list.find((c) => c.comment_id === commentId);
    if (!target) return businessApi(40002, "The comment does not exist.");

    if (route === "/open_api/v1.3/business/comment/reply/create/") {
      const text = param("text") ?? "";
      if (!text.trim() || [...text].length > 150) return businessApi(40002, "text must have 1 to 150 characters.");
      const account = tiktokAccountByOpenId(claims.o);
      const reply = addCommentRecord(videoId, claims.o, {
        text,
        username: account?.username ?? "sandbox",
        userId: claims.o,
        parent: target.comment_id,
        owner: true,
      });
      return businessApi(0, "OK", { comment_id: reply.comment_id, video_id: videoId, text: reply.text, create_time: reply.create_time });
    }
    if (route === "/open_api/v1.3/business/comment/hide/") {
      const action = param("action");
      if (action !== "HIDE" && action !== "UNHIDE") return businessApi(40002, "action must be HIDE or UNHIDE.");
      hiddenOverlay.set(target.comment_id, action === "HIDE");
      return businessApi(0, "OK", {});
    }
    return businessApi(40400, `Unknown Business API path ${route}`);
  }

  function addCommentRecord(videoId: string, openId: string, input: { text: string; username: string; userId: string; parent: string | null; owner: boolean }): SandboxComment {
    commentsOf(videoId, openId); // loads the video's history comments first
    const list = comments.get(videoId)!;
    const record: SandboxComment = {
      comment_id: tiktokNumericId(openId, 400, list.length, clock()),
      video_id: videoId,
      user_id: input.userId,
      username: input.username,
      display_name: input.username,
      text: input.text,
      create_time: Math.floor(clock() / 1000),
      // TikTok puts the video id in parent_comment_id of a top-level comment.
      parent_comment_id: input.parent ?? videoId,
      status: "PUBLIC",
      likes: 0,
      replies: 0,
      owner: input.owner,
    };
    list.push(record);
    return record;
  }

  function addComment(input: { videoId: string; text: string; username?: string; parentCommentId?: string }): SandboxComment | null {
    const openId = ownerOfVideo(input.videoId);
    if (!openId) return null;
    const username = input.username ?? "cliente.sandbox";
    return addCommentRecord(input.videoId, openId, {
      text: input.text,
      username,
      userId: `user-${username}`,
      parent: input.parentCommentId ?? null,
      owner: false,
    });
  }

  // ─── Test controls ────────────────────────────────────────────────────────────────────────────
  function posts(): SandboxTikTokPost[] {
    const done = [...publishes.values()].filter((p) => p.completedAt !== null);
    return done.map((p) => {
      const { status, fail_reason } = resolve(p);
      return {
        id: p.postId,
        publish_id: p.publishId,
        open_id: p.openId,
        title: p.title,
        privacy_level: p.privacy,
        status,
        fail_reason: fail_reason ?? null,
        create_time: p.completedAt === null ? null : Math.floor(p.completedAt / 1000),
        publish_count: done.filter((o) => o.openId === p.openId && o.title === p.title && !o.failReason).length,
      };
    });
  }

  async function control(request: Request, route: string): Promise<Response> {
    if (route === "/_sandbox/posts" && request.method === "GET") return Response.json({ posts: posts() });
    if (route === "/_sandbox/comments" && request.method === "POST") {
      const body = (await readJson(request)) ?? {};
      const videoId = typeof body.video_id === "string" ? body.video_id : typeof body.post_id === "string" ? body.post_id : "";
      const text = typeof body.text === "string" && body.text.trim() ? body.text : "Tem esse em outra cor?";
      const comment = addComment({
        videoId,
        text,
        username: typeof body.username === "string" ? body.username : undefined,
        parentCommentId: typeof body.parent_comment_id === "string" ? body.parent_comment_id : undefined,
      });
      if (!comment) return Response.json({ error: "video not found" }, { status: 404 });
      // `external_id` is the id the connector reports for this comment (see the client's commentId()).
      return Response.json({ comment, external_id: `${comment.video_id}:${comment.comment_id}` }, { status: 201 });
    }
    if (route === "/_sandbox/faults" && request.method === "POST") {
      const body = ((await readJson(request)) ?? {}) as TikTokSandboxFaults & { audited?: boolean };
      if (typeof body.audited === "boolean") audited = body.audited;
      const { audited: _ignored, ...rest } = body;
      faults = { ...faults, ...rest };
      return Response.json({ faults, audited });
    }
    if (route === "/_sandbox/reset" && request.method === "POST") {
      reset();
      return Response.json({ ok: true });
    }
    return Response.json({ error: "not found" }, { status: 404 });
  }

  function reset() {
    faults = { ...options.faults };
    audited = options.audited ?? true;
    used.clear();
    calls.clear();
    publishes.clear();
    uploads.clear();
    published.clear();
    comments.clear();
    hiddenOverlay.clear();
  }

  /** Injected 429s/5xx, in the format of the API being called. */
  function injectedFault(isBusiness: boolean): Response | null {
    if (faults.rateLimited && faults.rateLimited > 0) {
      faults = { ...faults, rateLimited: faults.rateLimited - 1 };
      return isBusiness ? businessApi(40100, "Too many requests. Please retry in some time.") : rateLimitedResponse(1);
    }
    if (faults.serverErrors && faults.serverErrors > 0) {
      faults = { ...faults, serverErrors: faults.serverErrors - 1 };
      return isBusiness ? businessApi(50002, "Internal error. Please retry.") : openApiError(500, "internal_error", "Something went wrong. Please try again later.");
    }
    return null;
  }

  async function handler(request: Request): Promise<Response> {
    const url = new URL(request.url);
    let path = url.pathname;
    if (basePath && path.startsWith(basePath)) path = path.slice(basePath.length);
    // TikTok's paths end with "/"; accept both so a forgotten slash is not a 404 in the demo.
    const route = path.endsWith("/") ? path : `${path}/`;
    const method = request.method;

    if (route.startsWith("/_sandbox/")) return control(request, route.replace(/\/$/, ""));
    if (route === "/v2/auth/authorize/") {
      if (method === "GET") return authorizeGet(url);
      if (method === "POST") return authorizePost(request);
    }
    if (route === "/v2/oauth/token/" && method === "POST") return oauthToken(request);
    if (route === "/video/" && method === "PUT") return uploadChunk(request, url);

    if (route.startsWith("/open_api/v1.3/")) {
      const fault = injectedFault(true);
      if (fault) return fault;
      return business(request, route, url);
    }
    if (route.startsWith("/v2/")) {
      const fault = injectedFault(false);
      if (fault) return fault;
      const claims = authenticate(request);
      if (claims instanceof Response) return claims;
      if (route === "/v2/user/info/" && method === "GET") return userInfo(claims, url);
      if (method === "POST") {
        if (route === "/v2/post/publish/creator_info/query/") return creatorInfo(claims);
        if (route === "/v2/post/publish/video/init/") return videoInit(claims, request);
        if (route === "/v2/post/publish/status/fetch/") return statusFetch(claims, request);
        if (route === "/v2/video/list/") return videoList(claims, request, url);
        if (route === "/v2/video/query/") return videoQuery(claims, request, url);
      }
    }
    return openApiError(404, "not_found", `No such endpoint: ${method} ${route}`);
  }

  return {
    handler,
    clientKey,
    clientSecret,
    accounts: SANDBOX_TIKTOK_ACCOUNTS,
    setFaults(next) {
      faults = { ...faults, ...next };
    },
    setAudited(value) {
      audited = value;
    },
    posts,
    addComment,
    async settle() {
      await Promise.all([...inflight]);
    },
    reset,
  };
}
