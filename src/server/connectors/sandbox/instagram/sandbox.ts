import { createHmac } from "node:crypto";

import { badRequestText, htmlNoStore, redirectNoStore, routePath } from "../shared/http";
import { instagramConsentPage } from "./consent-page";
import { INSTAGRAM_SANDBOX_APP_ID, INSTAGRAM_SANDBOX_APP_SECRET } from "./constants";
import {
  SANDBOX_INSTAGRAM_ACCOUNTS,
  accountDay,
  historyPost,
  historySlotOf,
  historySlots,
  sandboxInstagramAccount,
  sandboxPermalink,
  followersOn,
  type SandboxHistoryPost,
} from "./data";
import { checkInstagramMedia } from "./media-check";
import { issueIgToken, readIgToken, type IgTokenClaims } from "./tokens";

/**
 * A simulator of the Instagram API with Instagram Login as a fetch handler. It serves the three
 * hosts' own paths under one base path: the consent page of www.instagram.com (/oauth/authorize),
 * the code exchange of api.instagram.com (/oauth/access_token) and the Graph API of
 * graph.instagram.com (/access_token, /refresh_access_token, /me, /{id}/media, /{id}/media_publish,
 * /{id}/content_publishing_limit, /{id}/insights, /{id}/comments, /{id}/replies…, with or without a
 * /vNN.N version prefix). What it reproduces is listed in docs/social-instagram.md.
 */

export { INSTAGRAM_SANDBOX_APP_ID, INSTAGRAM_SANDBOX_APP_SECRET };

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const CODE_TTL_MS = HOUR_MS;
const SHORT_TTL_MS = HOUR_MS;
const LONG_TTL_SECONDS = 5_184_000; // 60 days
const CONTAINER_TTL_MS = DAY_MS;
const QUOTA_WINDOW_MS = DAY_MS;
const MAX_INSIGHTS_RANGE_S = 30 * 86_400;
const SCOPES = [
  "instagram_business_basic",
  "instagram_business_content_publish",
  "instagram_business_manage_comments",
  "instagram_business_manage_insights",
];
const MEDIA_METRICS = ["views", "reach", "likes", "comments", "shares", "saved", "total_interactions"];
const ACCOUNT_METRICS = ["reach", "views", "profile_views", "accounts_engaged", "follower_count"];

export type InstagramSandboxFaults = {
  /** The next N Graph/OAuth requests answer a rate-limit error. */
  rateLimited?: number;
  /** Meta's code for it: 4 (app), 17 (user), 32, 613. Default 4. */
  rateLimitCode?: number;
  /** `estimated_time_to_regain_access` (minutes) in the usage header. Default 1. */
  regainMinutes?: number;
  /** The next N requests answer 500 (Meta's transient error, code 2). */
  serverErrors?: number;
  /**
   * The next `count` media_publish calls DO publish, then: "500" answers an error, "drop" breaks
   * the connection mid-answer, "timeout" never answers (until the client gives up).
   */
  publish?: { mode: "500" | "drop" | "timeout"; count?: number };
  /** Same for the next `count` comment replies: the reply is written, its answer is lost. */
  reply?: { mode: "500" | "drop" | "timeout"; count?: number };
};

export type InstagramSandboxConfig = {
  /** quota_total of content_publishing_limit (posts per rolling 24 h per account). Default 50. */
  publishLimit: number;
  /** Wall-clock processing time of an image container / a video container, ms. */
  imageProcessingMs: number;
  videoProcessingMs: number;
  /** Graph calls per account per hour before error 17 (0 = unlimited). Default 4800. */
  callsPerHour: number;
};

export type InstagramSandboxOptions = {
  clientId?: string;
  clientSecret?: string;
  /** Signs codes and tokens; keep it stable across restarts. */
  tokenSecret?: string;
  /** Path prefix the handler is mounted under ("" at the root). */
  basePath?: string;
  /** Logical time (token and container expiry, quotas, timestamps). Processing delays use the wall clock. */
  clock?: () => number;
  /** Downloads media and delivers webhooks. */
  fetch?: typeof fetch;
  /** Where comment webhooks are POSTed (the app's callback). Null: none are sent. */
  webhookUrl?: string | null;
  /** Waits between delivery attempts when the app does not answer 200. */
  webhookRetryDelaysMs?: number[];
  /** Also notify comments the account itself writes (replies from the app), as Meta does. Default true. */
  notifyOwnComments?: boolean;
  faults?: InstagramSandboxFaults;
} & Partial<InstagramSandboxConfig>;

type Container = {
  id: string;
  userId: string;
  /** IMAGE / VIDEO are carousel items or feed images; REELS; CAROUSEL. */
  mediaType: "IMAGE" | "VIDEO" | "REELS" | "CAROUSEL";
  caption: string;
  isCarouselItem: boolean;
  children: string[];
  createdAt: number;
  /** Wall-clock time processing ends. */
  readyAtWall: number;
  /** Null while the download/check runs; then "" (fine) or the error text. */
  checkResult: string | null;
  publishedMediaId: string | null;
};

type PublishedMedia = {
  id: string;
  userId: string;
  containerId: string;
  caption: string;
  mediaType: "IMAGE" | "VIDEO" | "CAROUSEL_ALBUM";
  productType: "FEED" | "REELS";
  permalink: string;
  publishedAt: number;
};

type LiveComment = {
  id: string;
  mediaId: string;
  /** The account that owns the media. */
  ownerId: string;
  parentId: string | null;
  text: string;
  username: string;
  fromId: string;
  createdAt: number;
};

type Delivery = { commentId: string; attempt: number; status: number | null; at: string };

export type SandboxPost = {
  id: string;
  accountId: string;
  containerId: string;
  caption: string;
  permalink: string;
  timestamp: string;
  /** How many posts of this account carry this exact caption: 1 = published once. */
  publishCount: number;
};

export type InstagramSandbox = {
  handler: (request: Request) => Promise<Response>;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly accounts: typeof SANDBOX_INSTAGRAM_ACCOUNTS;
  setFaults(faults: InstagramSandboxFaults): void;
  configure(config: Partial<InstagramSandboxConfig>): void;
  /** Every post published through the sandbox (not the generated history), oldest first. */
  posts(): SandboxPost[];
  /** A long-lived token for any account id (benchmarks and tests that skip the consent page). */
  issueToken(userId: string, issuedAt?: number): { accessToken: string; expiresAt: number };
  /** An audience comment on a post (or a reply when parentId is set), delivered by webhook. */
  addComment(input: { mediaId: string; text: string; username?: string; parentId?: string | null }): Promise<{ id: string } | { error: string }>;
  readonly deliveries: Delivery[];
  /** Waits for in-flight media checks and webhook deliveries. */
  settle(): Promise<void>;
  reset(): void;
};

type GraphErrorInit = { message: string; code: number; subcode?: number; status?: number; type?: string; userTitle?: string; userMessage?: string; headers?: HeadersInit; transient?: boolean };

function fbtraceId(): string {
  return `A${Math.random().toString(36).slice(2, 12)}`;
}

function graphError(init: GraphErrorInit): Response {
  return Response.json(
    {
      error: {
        message: init.message,
        type: init.type ?? "OAuthException",
        code: init.code,
        ...(init.subcode !== undefined ? { error_subcode: init.subcode } : {}),
        ...(init.transient !== undefined ? { is_transient: init.transient } : {}),
        ...(init.userTitle ? { error_user_title: init.userTitle } : {}),
        ...(init.userMessage ? { error_user_msg: init.userMessage } : {}),
        fbtrace_id: fbtraceId(),
      },
    },
    { status: init.status ?? 400, headers: init.headers },
  );
}

/** api.instagram.com's own (older) error shape for the code exchange. */
function apiError(message: string, status = 400): Response {
  return Response.json({ error_type: "OAuthException", code: status, error_message: message }, { status });
}

function noSuchObject(id: string, method: string): Response {
  return graphError({
    message: `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
    code: 100,
    subcode: 33,
  });
}

/** Graph timestamps: 2026-11-20T12:00:00+0000. */
function graphTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "+0000");
}

function pick(body: Record<string, unknown>, fields: string | null, defaults: string[]): Record<string, unknown> {
  const wanted = fields ? fields.split(",").map((f) => f.trim().replace(/\{.*$/, "")).filter(Boolean) : defaults;
  const out: Record<string, unknown> = { id: body.id };
  for (const f of wanted) if (f in body) out[f] = body[f];
  return out;
}

function cursorOf(offset: number): string {
  return Buffer.from(`o:${offset}`).toString("base64url");
}

function offsetOf(cursor: string | null): number | null {
  if (!cursor) return 0;
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const m = /^o:(\d+)$/.exec(text);
  return m ? Number(m[1]) : null;
}

type LostAnswerFault = NonNullable<InstagramSandboxFaults["publish"]>;

function lostAnswerFault(value: LostAnswerFault | undefined): LostAnswerFault | undefined {
  return value && ["500", "drop", "timeout"].includes(value.mode) ? { mode: value.mode, count: Number(value.count ?? 1) || 1 } : undefined;
}

function defaultConfig(options: InstagramSandboxOptions): InstagramSandboxConfig {
  return {
    publishLimit: options.publishLimit ?? 50,
    imageProcessingMs: options.imageProcessingMs ?? 1_500,
    videoProcessingMs: options.videoProcessingMs ?? 3_000,
    callsPerHour: options.callsPerHour ?? 4_800,
  };
}

export function createInstagramSandbox(options: InstagramSandboxOptions = {}): InstagramSandbox {
  const clock = options.clock ?? Date.now;
  const clientId = options.clientId ?? INSTAGRAM_SANDBOX_APP_ID;
  const clientSecret = options.clientSecret ?? INSTAGRAM_SANDBOX_APP_SECRET;
  const tokenSecret = options.tokenSecret ?? `instagram-sandbox:${clientSecret}`;
  const basePath = (options.basePath ?? "").replace(/\/$/, "");
  const doFetch = options.fetch ?? fetch;
  const retryDelays = options.webhookRetryDelaysMs ?? [500, 2_000, 5_000];
  const notifyOwn = options.notifyOwnComments ?? true;

  let config = defaultConfig(options);
  let faults: InstagramSandboxFaults = { ...options.faults };
  let sequence = 0;
  const usedCodes = new Map<string, number>(); // jti → expiry
  const containers = new Map<string, Container>();
  const media = new Map<string, PublishedMedia>();
  const mediaOrder: string[] = [];
  // Indexes so a benchmark's thousands of posts do not make every call scan them all.
  const mediaByUser = new Map<string, PublishedMedia[]>();
  const commentsByMedia = new Map<string, LiveComment[]>();
  const captionCounts = new Map<string, number>();
  const comments = new Map<string, LiveComment>();
  /** Hidden flags set on comments (generated or live). */
  const hidden = new Map<string, boolean>();
  const calls = new Map<string, number[]>(); // account → call times (wall clock) in the last hour
  const deliveries: Delivery[] = [];
  const inflight = new Set<Promise<unknown>>();

  function track<T>(p: Promise<T>): Promise<T> {
    const tracked = p.finally(() => inflight.delete(tracked));
    inflight.add(tracked);
    return tracked;
  }

  /** Graph-like numeric ids: 17 digits, distinct prefixes per object kind. */
  function nextId(prefix: string): string {
    sequence += 1;
    return `${prefix}${String(sequence).padStart(17 - prefix.length, "0")}`;
  }

  // ─── OAuth ────────────────────────────────────────────────────────────────────────────────────
  function authorizeProblem(params: URLSearchParams): string | null {
    if (params.get("client_id") !== clientId) return "Invalid app ID";
    if (params.get("response_type") !== "code") return "Invalid response_type: it must be code";
    const redirect = params.get("redirect_uri");
    if (!redirect || !/^https?:\/\//.test(redirect)) return "Invalid redirect_uri";
    return null;
  }

  function authorizeGet(url: URL): Response {
    const problem = authorizeProblem(url.searchParams);
    if (problem) return badRequestText(problem);
    return htmlNoStore(instagramConsentPage(`${basePath}/oauth/authorize`, url.searchParams));
  }

  async function authorizePost(request: Request): Promise<Response> {
    const form = new URLSearchParams(await request.text());
    const problem = authorizeProblem(form);
    if (problem) return badRequestText(problem);
    const redirect = new URL(form.get("redirect_uri")!);
    const state = form.get("state");
    if (form.get("decision") !== "allow") {
      redirect.searchParams.set("error", "access_denied");
      redirect.searchParams.set("error_reason", "user_denied");
      redirect.searchParams.set("error_description", "The user denied your request.");
    } else {
      const account = SANDBOX_INSTAGRAM_ACCOUNTS.find((a) => a.id === form.get("user_id")) ?? SANDBOX_INSTAGRAM_ACCOUNTS[0]!;
      const requested = (form.get("scope") ?? "").split(/[,\s]+/).filter(Boolean);
      const scopes = requested.length > 0 ? SCOPES.filter((s) => requested.includes(s)) : SCOPES.slice(0, 1);
      const now = clock();
      const code = issueIgToken(tokenSecret, { k: "code", c: clientId, u: account.id, s: scopes, i: now, e: now + CODE_TTL_MS, r: form.get("redirect_uri")! });
      redirect.searchParams.set("code", code);
    }
    if (state !== null) redirect.searchParams.set("state", state);
    // Instagram appends "#_" to the redirect; browsers drop the fragment before the app sees it.
    return redirectNoStore(`${redirect.toString()}#_`);
  }

  async function codeExchange(request: Request): Promise<Response> {
    const form = new URLSearchParams(await request.text());
    if (form.get("client_id") !== clientId) return apiError("Invalid Client ID");
    if (form.get("client_secret") !== clientSecret) return apiError("Invalid Client Secret");
    if (form.get("grant_type") !== "authorization_code") return apiError("Invalid grant_type: it must be authorization_code");
    const raw = (form.get("code") ?? "").replace(/#_$/, "");
    const claims = raw ? readIgToken(tokenSecret, raw, ["code"]) : null;
    const now = clock();
    if (!claims || claims.c !== clientId || claims.e <= now) return apiError("Invalid authorization code");
    if (form.get("redirect_uri") !== claims.r) return apiError("Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request");
    for (const [jti, exp] of usedCodes) if (exp < now) usedCodes.delete(jti);
    if (usedCodes.has(claims.j)) return apiError("This authorization code has been used");
    usedCodes.set(claims.j, claims.e);
    const token = issueIgToken(tokenSecret, { k: "short", c: clientId, u: claims.u, s: claims.s, i: now, e: now + SHORT_TTL_MS });
    return Response.json({ access_token: token, user_id: Number(claims.u), permissions: claims.s }, { headers: { "cache-control": "no-store" } });
  }

  function tokenProblem(claims: IgTokenClaims | null, now: number): Response | null {
    if (!claims || claims.c !== clientId) return graphError({ message: "Invalid OAuth access token - Cannot parse access token", code: 190 });
    if (claims.e <= now) {
      return graphError({
        message: `Error validating access token: Session has expired on ${new Date(claims.e).toUTCString()}. The current time is ${new Date(now).toUTCString()}.`,
        code: 190,
        subcode: 463,
      });
    }
    return null;
  }

  function longLived(claims: IgTokenClaims, now: number): Response {
    const token = issueIgToken(tokenSecret, { k: "long", c: clientId, u: claims.u, s: claims.s, i: now, e: now + LONG_TTL_SECONDS * 1000 });
    return Response.json({ access_token: token, token_type: "bearer", expires_in: LONG_TTL_SECONDS }, { headers: { "cache-control": "no-store" } });
  }

  function exchangeForLongLived(params: URLSearchParams): Response {
    if (params.get("grant_type") !== "ig_exchange_token") return graphError({ message: "(#100) Invalid grant_type: it must be ig_exchange_token", code: 100 });
    if (params.get("client_secret") !== clientSecret) return graphError({ message: "Error validating client secret.", code: 1, type: "OAuthException" });
    const now = clock();
    const claims = readIgToken(tokenSecret, params.get("access_token") ?? "", ["short"]);
    const problem = tokenProblem(claims, now);
    if (problem) return problem;
    return longLived(claims!, now);
  }

  function refreshLongLived(params: URLSearchParams): Response {
    if (params.get("grant_type") !== "ig_refresh_token") return graphError({ message: "(#100) Invalid grant_type: it must be ig_refresh_token", code: 100 });
    const now = clock();
    const token = params.get("access_token") ?? "";
    const claims = readIgToken(tokenSecret, token, ["long", "short"]);
    const problem = tokenProblem(claims, now);
    if (problem) return problem;
    if (claims!.k !== "long") return graphError({ message: "(#100) Only long-lived access tokens can be refreshed", code: 100 });
    // Meta refreshes long-lived tokens only once they are at least 24 hours old.
    if (now - claims!.i < DAY_MS) {
      return graphError({ message: "(#100) The access token can be refreshed only when it is at least 24 hours old", code: 100, subcode: 2207058 });
    }
    // The old token is not revoked: it stays valid until its own expiry (Meta does not rotate).
    return longLived(claims!, now);
  }

  // ─── Faults, limits, usage headers ────────────────────────────────────────────────────────────
  function usageHeaders(accountId: string | null, callCount: number, regainMinutes: number): Record<string, string> {
    const headers: Record<string, string> = {
      "x-app-usage": JSON.stringify({ call_count: callCount, total_cputime: Math.min(100, Math.round(callCount / 2)), total_time: Math.min(100, Math.round(callCount / 2)) }),
    };
    if (accountId) {
      headers["x-business-use-case-usage"] = JSON.stringify({
        [accountId]: [{ type: "instagram", call_count: callCount, total_cputime: Math.min(100, Math.round(callCount / 2)), total_time: Math.min(100, Math.round(callCount / 2)), estimated_time_to_regain_access: regainMinutes }],
      });
    }
    return headers;
  }

  function injectedFault(accountId: string | null): Response | null {
    if (faults.rateLimited && faults.rateLimited > 0) {
      faults.rateLimited--;
      const code = faults.rateLimitCode ?? 4;
      const messages: Record<number, string> = {
        4: "Application request limit reached",
        17: "User request limit reached",
        32: "Page request limit reached",
        613: "Calls to this api have exceeded the rate limit.",
      };
      return graphError({
        message: `(#${code}) ${messages[code] ?? "Request limit reached"}`,
        code,
        status: code === 4 ? 403 : 400,
        transient: true,
        headers: usageHeaders(accountId, 100, faults.regainMinutes ?? 1),
      });
    }
    if (faults.serverErrors && faults.serverErrors > 0) {
      faults.serverErrors--;
      return graphError({ message: "An unexpected error has occurred. Please retry your request later.", code: 2, status: 500, transient: true });
    }
    return null;
  }

  /** Counts a call against the account's hourly budget; the error when it is spent. */
  function countCall(accountId: string): { headers: Record<string, string>; limited: Response | null } {
    const wall = Date.now();
    const list = (calls.get(accountId) ?? []).filter((t) => t > wall - HOUR_MS);
    if (config.callsPerHour > 0 && list.length >= config.callsPerHour) {
      calls.set(accountId, list);
      const regain = Math.max(1, Math.ceil((list[0]! + HOUR_MS - wall) / 60_000));
      const headers = usageHeaders(accountId, 100, regain);
      return { headers, limited: graphError({ message: "(#17) User request limit reached", code: 17, transient: true, headers }) };
    }
    list.push(wall);
    calls.set(accountId, list);
    const pct = config.callsPerHour > 0 ? Math.min(100, Math.floor((list.length / config.callsPerHour) * 100)) : 0;
    return { headers: usageHeaders(accountId, pct, 0), limited: null };
  }

  // ─── Accounts ─────────────────────────────────────────────────────────────────────────────────
  function profile(userId: string, fields: string | null): Response {
    const account = sandboxInstagramAccount(userId);
    const today = Math.floor(clock() / DAY_MS);
    const body = {
      id: userId,
      user_id: userId,
      username: account.username,
      name: account.name,
      account_type: "BUSINESS",
      followers_count: followersOn(userId, today),
      follows_count: 180,
      media_count: timeline(userId).length,
      profile_picture_url: `https://picsum.photos/seed/${account.username}/150`,
    };
    return Response.json(pick(body, fields, ["id", "username"]));
  }

  // ─── Media and containers ─────────────────────────────────────────────────────────────────────
  function containerStatus(c: Container, now: number): { code: "IN_PROGRESS" | "FINISHED" | "ERROR" | "EXPIRED" | "PUBLISHED"; text: string } {
    if (c.publishedMediaId) return { code: "PUBLISHED", text: "Published: the media has been published." };
    if (now >= c.createdAt + CONTAINER_TTL_MS) return { code: "EXPIRED", text: "Expired: the container was not published within 24 hours of its creation." };
    if (c.mediaType === "CAROUSEL") {
      const states = c.children.map((id) => containers.get(id)!).map((child) => containerStatus(child, now));
      const failed = states.find((s) => s.code === "ERROR");
      if (failed) return { code: "ERROR", text: `Error: a carousel item failed. ${failed.text.replace(/^Error: /, "")}` };
      if (states.some((s) => s.code === "IN_PROGRESS") || Date.now() < c.readyAtWall) return { code: "IN_PROGRESS", text: "In Progress: the carousel is still being processed." };
      return { code: "FINISHED", text: "Finished: the media has been uploaded and is ready to be published." };
    }
    if (c.checkResult === null || Date.now() < c.readyAtWall) return { code: "IN_PROGRESS", text: "In Progress: the media is still being processed." };
    if (c.checkResult) return { code: "ERROR", text: `Error: ${c.checkResult}` };
    return { code: "FINISHED", text: "Finished: the media has been uploaded and is ready to be published." };
  }

  function createContainer(userId: string, params: URLSearchParams): Response {
    const now = clock();
    const isCarouselItem = params.get("is_carousel_item") === "true";
    const mediaTypeParam = (params.get("media_type") ?? "").toUpperCase();
    const caption = params.get("caption") ?? "";
    if ([...caption].length > 2_200) return graphError({ message: "(#100) The caption is too long: the maximum is 2200 characters", code: 100, subcode: 2207019 });
    if ((caption.match(/#[\p{L}\p{N}_]+/gu) ?? []).length > 30) return graphError({ message: "(#100) The caption has more than 30 hashtags", code: 100, subcode: 2207019 });

    if (mediaTypeParam === "CAROUSEL") {
      const children = (params.get("children") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
      if (children.length < 2 || children.length > 10) return graphError({ message: "(#100) A carousel needs between 2 and 10 children", code: 100, subcode: 2207015 });
      for (const id of children) {
        const child = containers.get(id);
        if (!child || child.userId !== userId || !child.isCarouselItem) return graphError({ message: `(#100) The carousel item ${id} is not a carousel item container of this account`, code: 100, subcode: 2207016 });
      }
      const c: Container = { id: nextId("179"), userId, mediaType: "CAROUSEL", caption, isCarouselItem: false, children, createdAt: now, readyAtWall: Date.now(), checkResult: "", publishedMediaId: null };
      containers.set(c.id, c);
      return Response.json({ id: c.id });
    }

    let kind: "IMAGE" | "VIDEO";
    let url: string | null;
    let mediaType: Container["mediaType"];
    if (mediaTypeParam === "REELS") {
      if (isCarouselItem) return graphError({ message: "(#100) Carousel items take media_type=VIDEO, not REELS", code: 100 });
      kind = "VIDEO";
      url = params.get("video_url");
      mediaType = "REELS";
    } else if (mediaTypeParam === "VIDEO") {
      // Feed videos were replaced by Reels: a single video must be posted as REELS.
      if (!isCarouselItem) return graphError({ message: "(#100) The VIDEO media type is only supported for carousel items; use REELS", code: 100, subcode: 2207023 });
      kind = "VIDEO";
      url = params.get("video_url");
      mediaType = "VIDEO";
    } else if (mediaTypeParam === "" || mediaTypeParam === "IMAGE") {
      kind = "IMAGE";
      url = params.get("image_url");
      mediaType = "IMAGE";
    } else {
      return graphError({ message: `(#100) media_type ${mediaTypeParam} is not supported`, code: 100, subcode: 2207023 });
    }
    if (!url || !/^https?:\/\//.test(url)) {
      return graphError({ message: `(#100) The parameter ${kind === "IMAGE" ? "image_url" : "video_url"} is required and must be a public URL`, code: 100 });
    }
    const processing = kind === "IMAGE" ? config.imageProcessingMs : config.videoProcessingMs;
    const c: Container = { id: nextId("179"), userId, mediaType, caption: isCarouselItem ? "" : caption, isCarouselItem, children: [], createdAt: now, readyAtWall: Date.now() + processing, checkResult: null, publishedMediaId: null };
    containers.set(c.id, c);
    // Meta downloads the media after answering: failures surface as status_code ERROR.
    void track(
      checkInstagramMedia(doFetch, url, kind).then(
        (problem) => {
          c.checkResult = problem ?? "";
        },
        () => {
          c.checkResult = "Media download has failed.";
        },
      ),
    );
    return Response.json({ id: c.id });
  }

  function getContainer(c: Container, fields: string | null): Response {
    const status = containerStatus(c, clock());
    const body = { id: c.id, status_code: status.code, status: status.text, media_type: c.mediaType };
    return Response.json(pick(body, fields, ["status_code"]));
  }

  function windowPosts(userId: string, now: number): PublishedMedia[] {
    return (mediaByUser.get(userId) ?? []).filter((m) => m.publishedAt > now - QUOTA_WINDOW_MS);
  }

  function publishingLimit(userId: string, fields: string | null): Response {
    const used = windowPosts(userId, clock()).length;
    const body: Record<string, unknown> = { quota_usage: used };
    const wanted = (fields ?? "quota_usage").split(",").map((f) => f.trim());
    if (wanted.includes("config")) body.config = { quota_total: config.publishLimit, quota_duration: QUOTA_WINDOW_MS / 1000 };
    return Response.json({ data: [body] });
  }

  /**
   * The `publish` / `reply` faults: the mutation was performed; now its answer is lost — a 500, a
   * connection broken mid-answer, or no answer until the client gives up.
   */
  async function lostAnswer(kind: "publish" | "reply", request: Request): Promise<Response | null> {
    const fault = faults[kind];
    if (!fault || (fault.count ?? 1) <= 0) return null;
    const remaining = (fault.count ?? 1) - 1;
    faults[kind] = remaining > 0 ? { ...fault, count: remaining } : undefined;
    if (fault.mode === "500") return graphError({ message: "An unexpected error has occurred. Please retry your request later.", code: 2, status: 500, transient: true });
    if (fault.mode === "drop") {
      // Headers go out, then the connection breaks before the body: the client sees a network error.
      return new Response(new ReadableStream({ pull: (controller) => controller.error(new Error("connection reset")) }), { status: 200, headers: { "content-type": "application/json" } });
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 120_000);
      request.signal.addEventListener("abort", () => {
        clearTimeout(timer);
        resolve();
      });
    });
    return graphError({ message: "An unexpected error has occurred. Please retry your request later.", code: 2, status: 504, transient: true });
  }

  async function mediaPublish(userId: string, params: URLSearchParams, request: Request): Promise<Response> {
    const creationId = params.get("creation_id") ?? "";
    const c = containers.get(creationId);
    if (!c || c.userId !== userId || c.isCarouselItem) return graphError({ message: "(#100) Invalid creation_id: no such container for this account", code: 100, subcode: 2207006 });
    const now = clock();
    const status = containerStatus(c, now);
    if (status.code === "PUBLISHED") return graphError({ message: "Media ID is not available: the container was already published", code: 9007, subcode: 2207006, userTitle: "Mídia já publicada" });
    if (status.code === "EXPIRED") return graphError({ message: "Media ID is not available: the container has expired", code: 9007, subcode: 2207008 });
    if (status.code === "ERROR") return graphError({ message: `Media ID is not available: ${status.text}`, code: 9007, subcode: 2207006 });
    if (status.code !== "FINISHED") {
      return graphError({ message: "Media ID is not available", code: 9007, subcode: 2207027, userTitle: "Mídia não está pronta", userMessage: "The media is not ready for publishing, please wait for a moment" });
    }
    if (windowPosts(userId, now).length >= config.publishLimit) {
      return graphError({
        message: "Application request limit reached",
        code: 9,
        subcode: 2207042,
        status: 403,
        userTitle: "Limite de publicações atingido",
        userMessage: `You have reached the maximum number of posts (${config.publishLimit}) that is allowed to be published by Content Publishing API in 24 hours.`,
      });
    }
    const id = nextId("180");
    const reel = c.mediaType === "REELS";
    const m: PublishedMedia = {
      id,
      userId,
      containerId: c.id,
      caption: c.caption,
      mediaType: c.mediaType === "CAROUSEL" ? "CAROUSEL_ALBUM" : reel ? "VIDEO" : "IMAGE",
      productType: reel ? "REELS" : "FEED",
      permalink: sandboxPermalink(id, reel),
      publishedAt: now,
    };
    media.set(id, m);
    mediaOrder.push(id);
    const userMedia = mediaByUser.get(userId) ?? [];
    userMedia.push(m);
    mediaByUser.set(userId, userMedia);
    captionCounts.set(`${userId}\n${m.caption}`, (captionCounts.get(`${userId}\n${m.caption}`) ?? 0) + 1);
    c.publishedMediaId = id;

    return (await lostAnswer("publish", request)) ?? Response.json({ id });
  }

  type TimelineEntry = { id: string; caption: string; permalink: string; publishedAt: number; mediaType: string; productType: string; history: SandboxHistoryPost | null };

  /** The account's posts visible now, newest first: generated history plus what was published here. */
  function timeline(userId: string): TimelineEntry[] {
    const now = clock();
    const history = historySlots(now)
      .map((slot) => historyPost(userId, slot))
      .filter((p) => p.publishedAt.getTime() <= now)
      .slice(0, 20)
      .map((p) => ({ id: p.externalId, caption: p.caption, permalink: p.permalink, publishedAt: p.publishedAt.getTime(), mediaType: p.mediaType, productType: p.mediaType === "VIDEO" ? "REELS" : "FEED", history: p }));
    const live = (mediaByUser.get(userId) ?? []).map((m) => ({ id: m.id, caption: m.caption, permalink: m.permalink, publishedAt: m.publishedAt, mediaType: m.mediaType, productType: m.productType, history: null }));
    return [...live, ...history].sort((a, b) => b.publishedAt - a.publishedAt || (a.id < b.id ? 1 : -1));
  }

  function mediaBody(e: TimelineEntry, userId: string): Record<string, unknown> {
    return {
      id: e.id,
      caption: e.caption,
      permalink: e.permalink,
      timestamp: graphTime(e.publishedAt),
      media_type: e.mediaType,
      media_product_type: e.productType,
      username: sandboxInstagramAccount(userId).username,
      like_count: lifetimeMetrics(e, userId).likes,
      comments_count: commentsOf(e.id, userId).length,
    };
  }

  function listMedia(userId: string, url: URL): Response {
    const limit = Number(url.searchParams.get("limit") ?? "25");
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return graphError({ message: "(#100) The limit must be between 1 and 100", code: 100 });
    const offset = offsetOf(url.searchParams.get("after"));
    if (offset === null) return graphError({ message: "(#100) Invalid cursor", code: 100 });
    const all = timeline(userId);
    const page = all.slice(offset, offset + limit);
    const fields = url.searchParams.get("fields");
    const data = page.map((e) => pick(mediaBody(e, userId), fields, ["id"]));
    const paging: Record<string, unknown> = { cursors: { before: cursorOf(offset), after: cursorOf(offset + page.length) } };
    if (offset + page.length < all.length) {
      const next = new URL(url);
      next.searchParams.set("after", cursorOf(offset + page.length));
      next.searchParams.delete("access_token");
      paging.next = next.toString();
    }
    return Response.json({ data, paging });
  }

  function findMedia(userId: string, id: string): TimelineEntry | null {
    const live = media.get(id);
    if (live) return live.userId === userId ? { id, caption: live.caption, permalink: live.permalink, publishedAt: live.publishedAt, mediaType: live.mediaType, productType: live.productType, history: null } : null;
    const slot = historySlotOf(userId, id);
    if (slot === null) return null;
    const p = historyPost(userId, slot);
    if (p.publishedAt.getTime() > clock()) return null;
    return { id, caption: p.caption, permalink: p.permalink, publishedAt: p.publishedAt.getTime(), mediaType: p.mediaType, productType: p.mediaType === "VIDEO" ? "REELS" : "FEED", history: p };
  }

  function hashNumber(value: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 0x01000193);
    return h >>> 0;
  }

  function lifetimeMetrics(e: TimelineEntry, userId: string) {
    if (e.history) return { ...e.history.metrics, comments: commentsOf(e.id, userId).length };
    // Posts published here grow over their first days, then settle (deterministic per media id).
    const hours = Math.max(0, (clock() - e.publishedAt) / HOUR_MS);
    const ceiling = 500 + (hashNumber(e.id) % 4_000) * (e.productType === "REELS" ? 2 : 1);
    const reach = Math.round(ceiling * (1 - Math.exp(-hours / 24)));
    const likes = Math.round(reach * (0.04 + (hashNumber(`${e.id}:l`) % 6) / 100));
    return {
      views: Math.round(reach * 1.4),
      reach,
      likes,
      comments: commentsOf(e.id, userId).length,
      shares: Math.round(likes * 0.08),
      saves: Math.round(likes * 0.15),
    };
  }

  function mediaInsights(userId: string, e: TimelineEntry, url: URL): Response {
    const metrics = (url.searchParams.get("metric") ?? "").split(",").map((m) => m.trim()).filter(Boolean);
    if (metrics.length === 0) return graphError({ message: "(#100) The parameter metric is required", code: 100 });
    const unknown = metrics.find((m) => !MEDIA_METRICS.includes(m));
    if (unknown) return graphError({ message: `(#100) metric[0] must be one of the following values: ${MEDIA_METRICS.join(", ")}`, code: 100, subcode: unknown === "impressions" ? 2108006 : undefined });
    const values = lifetimeMetrics(e, userId);
    const byName: Record<string, number> = { views: values.views, reach: values.reach, likes: values.likes, comments: values.comments, shares: values.shares, saved: values.saves, total_interactions: values.likes + values.comments + values.shares + values.saves };
    return Response.json({
      data: metrics.map((name) => ({ name, period: "lifetime", values: [{ value: byName[name] }], title: name, description: "", id: `${e.id}/insights/${name}/lifetime` })),
    });
  }

  function accountInsights(userId: string, url: URL): Response {
    const params = url.searchParams;
    const metrics = (params.get("metric") ?? "").split(",").map((m) => m.trim()).filter(Boolean);
    if (metrics.length === 0) return graphError({ message: "(#100) The parameter metric is required", code: 100 });
    const unknown = metrics.find((m) => !ACCOUNT_METRICS.includes(m));
    if (unknown) return graphError({ message: `(#100) metric[0] must be one of the following values: ${ACCOUNT_METRICS.join(", ")}`, code: 100 });
    if (params.get("period") !== "day") return graphError({ message: "(#100) period must be day for these metrics", code: 100 });
    const now = clock();
    const since = Number(params.get("since") ?? Math.floor((now - DAY_MS) / 1000));
    const until = Number(params.get("until") ?? Math.floor(now / 1000));
    if (!Number.isFinite(since) || !Number.isFinite(until) || until < since) return graphError({ message: "(#100) since and until must be unix timestamps with since before until", code: 100 });
    if (until - since > MAX_INSIGHTS_RANGE_S) return graphError({ message: "(#100) The 'since' and 'until' arguments must not be more than 30 days apart", code: 100 });
    const firstDay = Math.floor((since * 1000) / DAY_MS);
    const lastDay = Math.min(Math.floor((until * 1000 - 1) / DAY_MS), Math.floor(now / DAY_MS));
    const days: Array<ReturnType<typeof accountDay>> = [];
    for (let d = firstDay; d <= lastDay; d++) days.push(accountDay(userId, d));
    const valueOf = (name: string, day: ReturnType<typeof accountDay>) =>
      ({ reach: day.reach, views: day.views, profile_views: day.profileViews, accounts_engaged: day.engagements, follower_count: day.newFollowers })[name]!;
    return Response.json({
      data: metrics.map((name) => ({
        name,
        period: "day",
        // Meta's day ends at midnight Pacific; end_time is that moment in UTC (08:00 in winter).
        values: days.map((day) => ({ value: valueOf(name, day), end_time: graphTime(Date.parse(`${day.date}T00:00:00Z`) + DAY_MS + 8 * HOUR_MS) })),
        title: name,
        description: "",
        id: `${userId}/insights/${name}/day`,
      })),
      paging: {},
    });
  }

  // ─── Comments ─────────────────────────────────────────────────────────────────────────────────
  type CommentView = { id: string; mediaId: string; ownerId: string; parentId: string | null; text: string; username: string; fromId: string; createdAt: number };

  /** Every comment of a post visible now (generated and live), oldest first. */
  function commentsOf(mediaId: string, userId: string): CommentView[] {
    const now = clock();
    const slot = historySlotOf(userId, mediaId);
    const generated: CommentView[] =
      slot === null
        ? []
        : historyPost(userId, slot).comments.map((c) => ({ id: c.externalId, mediaId, ownerId: userId, parentId: null, text: c.text, username: c.username, fromId: c.authorExternalId, createdAt: c.createdAt.getTime() }));
    const live = (commentsByMedia.get(mediaId) ?? []).filter((c) => c.ownerId === userId);
    return [...generated, ...live].filter((c) => c.createdAt <= now).sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  }

  function findComment(userId: string, id: string): CommentView | null {
    const live = comments.get(id);
    if (live) return live.ownerId === userId ? live : null;
    // Generated comment ids: 17 + account(3) + slot(10) + index(2).
    const m = /^17(\d{3})(\d{10})(\d{2})$/.exec(id);
    if (!m) return null;
    const slot = Number(m[2]);
    const post = historyPost(userId, slot);
    const c = post.comments[Number(m[3])];
    if (!c || c.externalId !== id || c.createdAt.getTime() > clock()) return null;
    return { id, mediaId: post.externalId, ownerId: userId, parentId: null, text: c.text, username: c.username, fromId: c.authorExternalId, createdAt: c.createdAt.getTime() };
  }

  function commentBody(c: CommentView): Record<string, unknown> {
    return {
      id: c.id,
      text: c.text,
      timestamp: graphTime(c.createdAt),
      username: c.username,
      from: { id: c.fromId, username: c.username },
      hidden: hidden.get(c.id) ?? false,
      like_count: 0,
      media: { id: c.mediaId },
      ...(c.parentId ? { parent_id: c.parentId } : {}),
    };
  }

  function listComments(userId: string, mediaId: string, url: URL): Response {
    const fields = url.searchParams.get("fields");
    const limit = Math.min(50, Math.max(1, Number(url.searchParams.get("limit") ?? "25") || 25));
    const offset = offsetOf(url.searchParams.get("after"));
    if (offset === null) return graphError({ message: "(#100) Invalid cursor", code: 100 });
    const all = commentsOf(mediaId, userId);
    // Top-level comments newest first; replies nested under their comment, oldest first.
    const top = all.filter((c) => c.parentId === null).reverse();
    const page = top.slice(offset, offset + limit);
    const wantsReplies = !fields || /(^|,)\s*replies/.test(fields);
    const replyFields = /replies\{([^}]*)\}/.exec(fields ?? "")?.[1] ?? null;
    const data = page.map((c) => {
      const body = pick(commentBody(c), fields, ["id", "text", "timestamp"]);
      if (wantsReplies) {
        const replies = all.filter((r) => r.parentId === c.id).map((r) => pick(commentBody(r), replyFields, ["id", "text", "timestamp"]));
        if (replies.length > 0) body.replies = { data: replies };
      }
      return body;
    });
    const paging: Record<string, unknown> = { cursors: { before: cursorOf(offset), after: cursorOf(offset + page.length) } };
    if (offset + page.length < top.length) {
      const next = new URL(url);
      next.searchParams.set("after", cursorOf(offset + page.length));
      next.searchParams.delete("access_token");
      paging.next = next.toString();
    }
    return Response.json({ data, paging });
  }

  function createComment(input: { mediaId: string; ownerId: string; parentId: string | null; text: string; username: string; fromId: string }): LiveComment {
    const c: LiveComment = { id: nextId("178"), createdAt: clock(), ...input };
    comments.set(c.id, c);
    const thread = commentsByMedia.get(c.mediaId) ?? [];
    thread.push(c);
    commentsByMedia.set(c.mediaId, thread);
    if (input.fromId !== input.ownerId || notifyOwn) void track(deliverWebhook(c));
    return c;
  }

  async function reply(userId: string, parent: CommentView, params: URLSearchParams, request: Request): Promise<Response> {
    const message = (params.get("message") ?? "").trim();
    if (!message) return graphError({ message: "(#100) The parameter message is required", code: 100 });
    if (parent.parentId) return graphError({ message: "(#100) Replies can only be made to top-level comments", code: 100, subcode: 2534023 });
    if ([...message].length > 2_200) return graphError({ message: "(#100) The message is too long", code: 100 });
    const account = sandboxInstagramAccount(userId);
    const c = createComment({ mediaId: parent.mediaId, ownerId: userId, parentId: parent.id, text: message, username: account.username, fromId: userId });
    return (await lostAnswer("reply", request)) ?? Response.json({ id: c.id });
  }

  // ─── Webhooks ─────────────────────────────────────────────────────────────────────────────────
  async function deliverWebhook(c: LiveComment): Promise<void> {
    const url = options.webhookUrl;
    if (!url) return;
    const m = media.get(c.mediaId);
    const productType = m ? m.productType : historySlotOf(c.ownerId, c.mediaId) !== null && historyPost(c.ownerId, historySlotOf(c.ownerId, c.mediaId)!).mediaType === "VIDEO" ? "REELS" : "FEED";
    const body = JSON.stringify({
      object: "instagram",
      entry: [
        {
          id: c.ownerId,
          time: Math.floor(c.createdAt / 1000),
          changes: [
            {
              field: "comments",
              value: {
                id: c.id,
                text: c.text,
                from: { id: c.fromId, username: c.username },
                media: { id: c.mediaId, media_product_type: productType },
                ...(c.parentId ? { parent_id: c.parentId } : {}),
              },
            },
          ],
        },
      ],
    });
    const signature = `sha256=${createHmac("sha256", clientSecret).update(body).digest("hex")}`;
    // Meta still sends the legacy SHA-1 signature next to the SHA-256 one.
    const legacySignature = `sha1=${createHmac("sha1", clientSecret).update(body).digest("hex")}`;
    for (let attempt = 1; ; attempt++) {
      let status: number | null = null;
      try {
        const response = await doFetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", "x-hub-signature": legacySignature, "x-hub-signature-256": signature },
          body,
          signal: AbortSignal.timeout(5_000),
        });
        status = response.status;
        await response.body?.cancel();
      } catch {
        status = null;
      }
      deliveries.push({ commentId: c.id, attempt, status, at: new Date(clock()).toISOString() });
      if (status === 200) return;
      const wait = retryDelays[attempt - 1];
      if (wait === undefined) return;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  async function addComment(input: { mediaId: string; text: string; username?: string; parentId?: string | null }): Promise<{ id: string } | { error: string }> {
    const live = media.get(input.mediaId);
    let ownerId = live?.userId ?? null;
    if (!ownerId) {
      for (const account of SANDBOX_INSTAGRAM_ACCOUNTS) if (historySlotOf(account.id, input.mediaId) !== null) ownerId = account.id;
    }
    if (!ownerId) return { error: `media ${input.mediaId} not found` };
    const text = input.text.trim();
    if (!text) return { error: "text is required" };
    if (input.parentId) {
      const parent = findComment(ownerId, input.parentId);
      if (!parent || parent.mediaId !== input.mediaId) return { error: `comment ${input.parentId} not found on this media` };
      if (parent.parentId) return { error: "replies can only be made to top-level comments" };
    }
    const username = (input.username ?? "cliente.sandbox").replace(/^@/, "");
    const fromId = String(1784150000000000 + (hashNumber(username) % 1_000_000));
    const c = createComment({ mediaId: input.mediaId, ownerId, parentId: input.parentId ?? null, text, username, fromId });
    return { id: c.id };
  }

  // ─── Sandbox control (not part of Instagram's API) ────────────────────────────────────────────
  function posts(): SandboxPost[] {
    return mediaOrder.map((id) => media.get(id)!).map((m) => ({
      id: m.id,
      accountId: m.userId,
      containerId: m.containerId,
      caption: m.caption,
      permalink: m.permalink,
      timestamp: graphTime(m.publishedAt),
      publishCount: captionCounts.get(`${m.userId}\n${m.caption}`) ?? 0,
    }));
  }

  function issueLongToken(userId: string, issuedAt = clock()) {
    const expiresAt = issuedAt + LONG_TTL_SECONDS * 1000;
    return { accessToken: issueIgToken(tokenSecret, { k: "long", c: clientId, u: userId, s: SCOPES, i: issuedAt, e: expiresAt }), expiresAt };
  }

  async function control(path: string, request: Request): Promise<Response> {
    const body = request.method === "POST" ? ((await request.json().catch(() => ({}))) as Record<string, unknown>) : {};
    if (path === "/_sandbox/state" && request.method === "GET") {
      return Response.json({ faults, config, accounts: SANDBOX_INSTAGRAM_ACCOUNTS, containers: containers.size, posts: media.size, deliveries: deliveries.slice(-50) });
    }
    if (path === "/_sandbox/posts" && request.method === "GET") return Response.json({ posts: posts() });
    if (path === "/_sandbox/faults" && request.method === "POST") {
      api.setFaults(body as InstagramSandboxFaults);
      return Response.json({ faults });
    }
    if (path === "/_sandbox/config" && request.method === "POST") {
      api.configure(body as Partial<InstagramSandboxConfig>);
      return Response.json({ config });
    }
    if (path === "/_sandbox/reset" && request.method === "POST") {
      api.reset();
      return Response.json({ ok: true });
    }
    if (path === "/_sandbox/comments" && request.method === "POST") {
      const result = await addComment({
        mediaId: String(body.media_id ?? ""),
        text: String(body.text ?? ""),
        username: typeof body.username === "string" ? body.username : undefined,
        parentId: typeof body.parent_id === "string" ? body.parent_id : null,
      });
      if ("error" in result) return Response.json({ error: result.error }, { status: 400 });
      return Response.json(result);
    }
    if (path === "/_sandbox/tokens" && request.method === "POST") {
      const userId = String(body.user_id ?? "");
      if (!/^\d{5,20}$/.test(userId)) return Response.json({ error: "user_id (digits) is required" }, { status: 400 });
      const token = issueLongToken(userId);
      return Response.json({ access_token: token.accessToken, token_type: "bearer", expires_in: LONG_TTL_SECONDS, user_id: userId });
    }
    if (path === "/_sandbox/webhooks" && request.method === "GET") return Response.json({ deliveries });
    return Response.json({ error: `Sandbox control ${path} not found` }, { status: 404 });
  }

  // ─── Routing ──────────────────────────────────────────────────────────────────────────────────
  async function params(request: Request, url: URL): Promise<URLSearchParams> {
    const merged = new URLSearchParams(url.searchParams);
    if (request.method === "GET" || request.method === "DELETE") return merged;
    const type = request.headers.get("content-type") ?? "";
    const raw = await request.text();
    if (!raw) return merged;
    if (type.includes("application/json")) {
      try {
        for (const [k, v] of Object.entries(JSON.parse(raw) as Record<string, unknown>)) merged.set(k, typeof v === "string" ? v : JSON.stringify(v));
      } catch {
        /* ignored like Graph ignores an unparsable body */
      }
    } else {
      for (const [k, v] of new URLSearchParams(raw)) merged.set(k, v);
    }
    return merged;
  }

  async function graph(request: Request, url: URL, path: string): Promise<Response> {
    const p = await params(request, url);
    const method = request.method;
    if (path === "/access_token" && method === "GET") return injectedFault(null) ?? exchangeForLongLived(p);
    if (path === "/refresh_access_token" && method === "GET") return injectedFault(null) ?? refreshLongLived(p);

    const bearer = (request.headers.get("authorization") ?? "").replace(/^(Bearer|OAuth)\s+/i, "").trim();
    const token = p.get("access_token") ?? bearer;
    if (!token) return graphError({ message: "An active access token must be used to query information about the current user.", code: 2500 });
    const now = clock();
    const claims = readIgToken(tokenSecret, token, ["short", "long"]);
    const problem = tokenProblem(claims, now);
    if (problem) return problem;
    const userId = claims!.u;
    const fault = injectedFault(userId);
    if (fault) return fault;
    const counted = countCall(userId);
    if (counted.limited) return counted.limited;
    const response = await resource(method, path, userId, p, url, request, claims!);
    for (const [name, value] of Object.entries(counted.headers)) response.headers.set(name, value);
    return response;
  }

  function needsScope(claims: IgTokenClaims, scope: string): Response | null {
    return claims.s.includes(scope) ? null : graphError({ message: `(#10) Application does not have permission for this action: ${scope} is required`, code: 10 });
  }

  async function resource(method: string, path: string, userId: string, p: URLSearchParams, url: URL, request: Request, claims: IgTokenClaims): Promise<Response> {
    const segments = path.split("/").filter(Boolean);
    const [first, second] = segments;
    if (!first || segments.length > 2) return graphError({ message: `Unknown path components: ${path}`, code: 2500 });
    const id = first === "me" ? userId : first;
    const fields = p.get("fields");

    if (id === userId) {
      if (!second && method === "GET") return profile(userId, fields);
      if (second === "media" && method === "GET") return listMedia(userId, url);
      if (second === "media" && method === "POST") return needsScope(claims, "instagram_business_content_publish") ?? createContainer(userId, p);
      if (second === "media_publish" && method === "POST") return needsScope(claims, "instagram_business_content_publish") ?? mediaPublish(userId, p, request);
      if (second === "content_publishing_limit" && method === "GET") return publishingLimit(userId, fields);
      if (second === "insights" && method === "GET") return needsScope(claims, "instagram_business_manage_insights") ?? accountInsights(userId, url);
      return noSuchObject(`${id}/${second}`, method);
    }
    if (/^\d+$/.test(id) && SANDBOX_INSTAGRAM_ACCOUNTS.some((a) => a.id === id)) return noSuchObject(id, method);

    const container = containers.get(id);
    if (container && container.userId === userId) {
      if (!second && method === "GET") return getContainer(container, fields);
      return noSuchObject(id, method);
    }
    const entry = findMedia(userId, id);
    if (entry) {
      if (!second && method === "GET") return Response.json(pick(mediaBody(entry, userId), fields, ["id"]));
      if (second === "insights" && method === "GET") return needsScope(claims, "instagram_business_manage_insights") ?? mediaInsights(userId, entry, url);
      if (second === "comments" && method === "GET") return needsScope(claims, "instagram_business_manage_comments") ?? listComments(userId, id, url);
      return noSuchObject(id, method);
    }
    const comment = findComment(userId, id);
    if (comment) {
      const scope = needsScope(claims, "instagram_business_manage_comments");
      if (scope) return scope;
      if (!second && method === "GET") return Response.json(pick(commentBody(comment), fields, ["id", "text", "timestamp"]));
      if (!second && method === "POST" && p.has("hide")) {
        const value = p.get("hide");
        if (value !== "true" && value !== "false") return graphError({ message: "(#100) hide must be true or false", code: 100 });
        hidden.set(comment.id, value === "true");
        return Response.json({ success: true });
      }
      if (second === "replies" && method === "POST") return reply(userId, comment, p, request);
      if (second === "replies" && method === "GET") {
        const all = commentsOf(comment.mediaId, userId).filter((r) => r.parentId === comment.id);
        return Response.json({ data: all.map((r) => pick(commentBody(r), fields, ["id", "text", "timestamp"])) });
      }
    }
    return noSuchObject(id, method);
  }

  async function route(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = routePath(url.pathname, basePath);
    const method = request.method;

    if (path.startsWith("/_sandbox/")) return control(path, request);
    if (path === "/oauth/authorize") {
      if (method === "GET") return authorizeGet(url);
      if (method === "POST") return authorizePost(request);
    }

    if (path === "/oauth/access_token" && method === "POST") return injectedFault(null) ?? codeExchange(request);

    // Graph API: an optional version prefix (/v23.0/me).
    const graphPath = path.replace(/^\/v\d+\.\d+(?=\/)/, "");
    return graph(request, url, graphPath);
  }

  async function handler(request: Request): Promise<Response> {
    const response = await route(request);
    // The server's clock, as real servers send it: clients compute waits from it.
    if (!response.headers.has("date")) {
      try {
        response.headers.set("date", new Date(clock()).toUTCString());
      } catch {
        /* immutable headers (redirects): keep the default */
      }
    }
    return response;
  }

  const api: InstagramSandbox = {
    handler,
    clientId,
    clientSecret,
    accounts: SANDBOX_INSTAGRAM_ACCOUNTS,
    setFaults(next) {
      faults = {
        rateLimited: Number(next.rateLimited ?? 0) || 0,
        rateLimitCode: Number(next.rateLimitCode ?? 4) || 4,
        regainMinutes: next.regainMinutes === undefined ? 1 : Number(next.regainMinutes),
        serverErrors: Number(next.serverErrors ?? 0) || 0,
        publish: lostAnswerFault(next.publish),
        reply: lostAnswerFault(next.reply),
      };
    },
    configure(next) {
      const numeric = (value: unknown, fallback: number) => (typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : fallback);
      config = {
        publishLimit: numeric(next.publishLimit, config.publishLimit),
        imageProcessingMs: numeric(next.imageProcessingMs, config.imageProcessingMs),
        videoProcessingMs: numeric(next.videoProcessingMs, config.videoProcessingMs),
        callsPerHour: numeric(next.callsPerHour, config.callsPerHour),
      };
    },
    posts,
    issueToken: issueLongToken,
    addComment,
    deliveries,
    async settle() {
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
    },
    reset() {
      config = defaultConfig(options);
      faults = { ...options.faults };
      usedCodes.clear();
      containers.clear();
      media.clear();
      mediaOrder.length = 0;
      mediaByUser.clear();
      commentsByMedia.clear();
      captionCounts.clear();
      comments.clear();
      hidden.clear();
      calls.clear();
      deliveries.length = 0;
    },
  };
  return api;
}
