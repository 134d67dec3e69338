/**
 * The one interface every social connector implements (Instagram, TikTok, YouTube). Same rules as
 * the marketplace connectors: plain HTTP clients that take credentials and return plain data,
 * never touch the database, and read every base URL from env (real API, built-in sandbox under
 * /api/sandbox/<network>, or a test double).
 *
 * Publishing is a state machine the connector drives one phase at a time and the publishing
 * service persists between phases (publications.phase + phase_data), so a run that dies resumes
 * where it stopped instead of starting over:
 *   Instagram: create container(s) → poll status_code → media_publish
 *   TikTok:    creator_info → video/init → upload chunks (FILE_UPLOAD) → poll status/fetch
 *   YouTube:   open resumable session → PUT bytes (resume from the server's offset) → done
 * Transient failures throw ConnectorError (transient, rate_limited, unauthorized); the service
 * retries the same phase. A mutation that may have made the post live but got no answer throws
 * ConnectorError("outcome_unknown"): the service marks the publication UNCONFIRMED and calls
 * confirmPublish before anything else — never a blind retry (FACTS.md, peers' known failures).
 */
import type { MediaKind, NetworkLimits, SocialNetworkId } from "~/lib/social/networks";
import type { AccountCredentials, AuthorizationRequest, CodeExchange, InboundWebhook, TokenSet } from "../common";

export type SocialProvider = SocialNetworkId;
export type SocialCredentials = AccountCredentials;

export type PublishMedia = {
  kind: MediaKind;
  mimeType: string;
  sizeBytes: number;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  /** Signed, expiring public URL of the file (Instagram always fetches from a URL; TikTok PULL_FROM_URL). */
  url: string;
  /** Reads bytes [start, end) of the file (TikTok FILE_UPLOAD chunks, YouTube resumable upload). */
  read(start: number, end: number): Promise<Uint8Array>;
};

export type PublishRequest = {
  /** Final caption as the network should show it (hashtags already appended by the service). */
  caption: string;
  /** YouTube: the video title. */
  title: string | null;
  /** TikTok privacy_level / YouTube privacyStatus; null = the network's default for the account. */
  privacy: string | null;
  /** Instagram: 1 image/video, or 2–10 for a carousel. TikTok and YouTube: exactly one video. */
  media: PublishMedia[];
  /** Our publication id: sent where the network keeps a client reference, and used to recognise our post when confirming. */
  reference: string;
};

/** Progress of one publication, persisted between phases. `data` is JSON (ids, offsets, session URIs). */
export type PublishState = { phase: string; data: Record<string, unknown> };

export type PublishProgress =
  /** The phase's call succeeded: run the next phase now. */
  | { kind: "next"; state: PublishState }
  /** The network is processing (container IN_PROGRESS, TikTok moderation): ask again after retryAfterMs. */
  | { kind: "wait"; state: PublishState; retryAfterMs: number }
  | { kind: "published"; externalId: string; permalink: string | null }
  /** Permanent: the network refused this post (media rejected, container ERROR/EXPIRED, privacy not allowed…). */
  | { kind: "failed"; code: string; reason: string };

export type PublishConfirmation =
  | { kind: "published"; externalId: string; permalink: string | null }
  /** Definitely not live: go on from `state` (which may restart an earlier phase). */
  | { kind: "not_published"; state: PublishState };

export type PublishingQuota = { limit: number; used: number; /** When a slot frees up, if known. */ resetsAt: Date | null };

export type PostMetrics = {
  externalId: string;
  views: number;
  reach: number;
  likes: number;
  comments: number;
  shares: number;
  saves: number;
};

export type AccountDailyMetrics = {
  date: string /* YYYY-MM-DD, UTC */;
  followers: number;
  views: number;
  reach: number;
  profileViews: number;
  engagements: number;
};

export type SocialPost = { externalId: string; caption: string; permalink: string | null; publishedAt: Date };

export type SocialComment = {
  externalId: string;
  postExternalId: string;
  /** Null for a top-level comment; the comment replied to otherwise. */
  parentExternalId: string | null;
  authorExternalId: string;
  authorName: string;
  text: string;
  createdAt: Date;
  hidden: boolean;
};

export type SocialWebhookEvent = {
  /** Unique per delivery content (dedupe key): a network retry carries the same id. */
  id: string;
  type: "comment.created";
  externalAccountId: string;
  comment: SocialComment;
};

export interface SocialConnector {
  readonly provider: SocialProvider;
  /** True when talking to the built-in sandbox (no real credentials configured). */
  readonly isSandbox: boolean;
  readonly limits: NetworkLimits;
  /** Comments arrive by signed webhook (Instagram) or must be polled (TikTok, YouTube). */
  readonly commentsDelivery: "webhook" | "polling";

  authorizationUrl(request: AuthorizationRequest): string;
  /** Code → tokens; Instagram also swaps the short-lived token for the 60-day one here. */
  exchangeCode(request: CodeExchange): Promise<TokenSet>;
  /**
   * Renews the tokens. TikTok rotates refresh tokens (store the newest, always); Instagram
   * refreshes the long-lived token itself (its TokenSet's refreshToken is the new long-lived token);
   * Google answers invalid_grant for a refresh token unused for 6 months.
   */
  refresh(refreshToken: string, account: { externalAccountId: string }): Promise<TokenSet>;

  /** Live publishing quota where the network exposes one (Instagram content_publishing_limit); else null. */
  getPublishingQuota(credentials: SocialCredentials): Promise<PublishingQuota | null>;
  /** Runs the next phase of the publish state machine (`state` null = start). */
  advancePublish(credentials: SocialCredentials, request: PublishRequest, state: PublishState | null): Promise<PublishProgress>;
  /** After an outcome_unknown: asks the network whether the post went live. Throws (transient) when it cannot tell yet. */
  confirmPublish(credentials: SocialCredentials, request: PublishRequest, state: PublishState): Promise<PublishConfirmation>;
  /**
   * Quota units a publish costs against a per-project daily quota (YouTube videos.insert); null
   * when the network has no such quota. The service accounts for it and waits for the reset.
   */
  readonly publishQuotaCost: { units: number; dailyUnits: number; resetTimeZone: string } | null;

  getPostMetrics(credentials: SocialCredentials, externalIds: string[]): Promise<PostMetrics[]>;
  /** One row per UTC day in [from, to]. */
  getAccountMetrics(credentials: SocialCredentials, from: Date, to: Date): Promise<AccountDailyMetrics[]>;
  /** Recent posts of the account (newest first), one page. */
  listPosts(credentials: SocialCredentials, cursor: string | null): Promise<{ posts: SocialPost[]; nextCursor: string | null }>;

  /** Comments on the given posts newer than `since` (polling), one page. */
  listComments(
    credentials: SocialCredentials,
    query: { postExternalIds: string[]; since: Date | null; cursor: string | null },
  ): Promise<{ comments: SocialComment[]; nextCursor: string | null }>;
  replyToComment(credentials: SocialCredentials, target: { commentExternalId: string; postExternalId: string; text: string }): Promise<{ externalId: string }>;
  setCommentHidden(credentials: SocialCredentials, commentExternalId: string, hidden: boolean): Promise<void>;

  /** Checks a webhook delivery's signature (Instagram X-Hub-Signature-256). False for networks without webhooks. */
  verifyWebhook(webhook: InboundWebhook): boolean;
  /** The subscription handshake (GET hub.mode=subscribe + hub.verify_token): the challenge to echo, or null. */
  answerWebhookChallenge(query: URLSearchParams, verifyToken: string): string | null;
  parseWebhook(rawBody: string): SocialWebhookEvent[];
}
