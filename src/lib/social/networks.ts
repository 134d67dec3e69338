/**
 * What each social network accepts, from the providers' published rules (../shared/FACTS.md and
 * the networks' docs). One table read by three parties, so they can never disagree:
 *   - the editor, which validates a variant while it is typed (browser);
 *   - the content service, which refuses to schedule an invalid variant (server);
 *   - the sandboxes, which refuse what the real network would refuse.
 * Client-safe: no server imports here.
 */
export const SOCIAL_NETWORKS = ["INSTAGRAM", "TIKTOK", "YOUTUBE"] as const;
export type SocialNetworkId = (typeof SOCIAL_NETWORKS)[number];

export type MediaKind = "IMAGE" | "VIDEO";

export type NetworkLimits = {
  network: SocialNetworkId;
  /** Max characters of the caption (TikTok: the post's title field; YouTube: the description). */
  captionMaxLength: number;
  /** YouTube counts the description in bytes (UTF-8), the others in characters. */
  captionCountsBytes: boolean;
  hashtagsMax: number;
  /** YouTube only: a title is required. */
  title: { required: boolean; maxLength: number } | null;
  /** Privacy values the network knows; TikTok narrows them per creator (creator_info). */
  privacyOptions: readonly string[];
  /** Media items per post (Instagram carousels up to 10). */
  mediaMin: number;
  mediaMax: number;
  image: { mimeTypes: readonly string[]; maxBytes: number; minAspect: number; maxAspect: number } | null;
  video: {
    mimeTypes: readonly string[];
    maxBytes: number;
    minDurationMs: number;
    maxDurationMs: number;
    /** Width / height bounds, when the network enforces one. */
    minAspect: number | null;
    maxAspect: number | null;
  } | null;
  /** Posts per rolling 24 h per account (Instagram reads the live value from content_publishing_limit). */
  postsPer24h: number | null;
};

const MB = 1024 * 1024;

export const NETWORK_LIMITS: Record<SocialNetworkId, NetworkLimits> = {
  INSTAGRAM: {
    network: "INSTAGRAM",
    captionMaxLength: 2200,
    captionCountsBytes: false,
    hashtagsMax: 30,
    title: null,
    privacyOptions: [],
    mediaMin: 1,
    mediaMax: 10,
    // Graph API publishing takes JPEG only for images, up to 8 MB, aspect 4:5 to 1.91:1.
    image: { mimeTypes: ["image/jpeg"], maxBytes: 8 * MB, minAspect: 4 / 5, maxAspect: 1.91 },
    // Reels: MP4/MOV (H.264/HEVC), 3 s to 15 min, up to 300 MB.
    video: { mimeTypes: ["video/mp4", "video/quicktime"], maxBytes: 300 * MB, minDurationMs: 3_000, maxDurationMs: 15 * 60_000, minAspect: 0.01, maxAspect: 10 },
    postsPer24h: 50,
  },
  TIKTOK: {
    network: "TIKTOK",
    captionMaxLength: 2200,
    captionCountsBytes: false,
    hashtagsMax: 30,
    title: null,
    privacyOptions: ["PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR", "SELF_ONLY"],
    mediaMin: 1,
    mediaMax: 1,
    image: null,
    // Content Posting API video: MP4/WebM/MOV up to 4 GB; 3 s minimum; the creator's maximum
    // (max_video_post_duration_sec from creator_info) is checked again when publishing.
    video: { mimeTypes: ["video/mp4", "video/webm", "video/quicktime"], maxBytes: 4096 * MB, minDurationMs: 3_000, maxDurationMs: 10 * 60_000, minAspect: null, maxAspect: null },
    postsPer24h: null,
  },
  YOUTUBE: {
    network: "YOUTUBE",
    captionMaxLength: 5000,
    captionCountsBytes: true,
    hashtagsMax: 15,
    title: { required: true, maxLength: 100 },
    privacyOptions: ["public", "unlisted", "private"],
    mediaMin: 1,
    mediaMax: 1,
    image: null,
    video: { mimeTypes: ["video/mp4", "video/quicktime", "video/webm"], maxBytes: 256 * 1024 * MB, minDurationMs: 1_000, maxDurationMs: 12 * 3_600_000, minAspect: null, maxAspect: null },
    postsPer24h: null,
  },
};

/** The kind of a MIME type we accept at all (anything else is refused at upload). */
export function mediaKindOf(mimeType: string): MediaKind | null {
  if (mimeType.startsWith("image/")) return "IMAGE";
  if (mimeType.startsWith("video/")) return "VIDEO";
  return null;
}
