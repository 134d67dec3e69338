/**
 * Validation of one network variant of a content piece against the network's rules
 * (networks.ts). Pure and client-safe: the editor runs it on every keystroke, the content service
 * runs it again before anything is scheduled, and the publish run once more before it calls the
 * network (the media or the rules may have changed since).
 */
import { NETWORK_LIMITS, mediaKindOf, type MediaKind, type SocialNetworkId } from "./networks";

export type VariantDraft = {
  network: SocialNetworkId;
  caption: string;
  hashtags: string[];
  title: string | null;
  privacy: string | null;
};

export type MediaFacts = {
  mimeType: string;
  sizeBytes: number;
  width: number | null;
  height: number | null;
  durationMs: number | null;
};

export type ValidationField = "caption" | "hashtags" | "title" | "privacy" | "media";

/** `code` is a message key under `content.validation`; `params` fill its placeholders. */
export type ValidationIssue = { field: ValidationField; code: string; params?: Record<string, string | number> };

const HASHTAG = /^[\p{L}\p{N}_]{1,100}$/u;

/** Hashtags without the leading #, trimmed; empty ones dropped. */
export function normalizeHashtags(hashtags: string[]): string[] {
  return hashtags.map((h) => h.trim().replace(/^#+/, "")).filter((h) => h.length > 0);
}

/** The text the network receives: the caption, then the hashtags on their own line. */
export function composeCaption(caption: string, hashtags: string[]): string {
  const tags = normalizeHashtags(hashtags).map((h) => `#${h}`);
  const text = caption.trim();
  if (tags.length === 0) return text;
  return text ? `${text}\n\n${tags.join(" ")}` : tags.join(" ");
}

/** Length as the network counts it: UTF-8 bytes (YouTube descriptions) or user-perceived characters. */
export function captionLength(text: string, countsBytes: boolean): number {
  return countsBytes ? new TextEncoder().encode(text).length : [...text].length;
}

export function validateVariant(variant: VariantDraft, media: MediaFacts[]): ValidationIssue[] {
  const limits = NETWORK_LIMITS[variant.network];
  const issues: ValidationIssue[] = [];

  const hashtags = normalizeHashtags(variant.hashtags);
  const text = composeCaption(variant.caption, hashtags);
  const length = captionLength(text, limits.captionCountsBytes);
  if (length > limits.captionMaxLength) issues.push({ field: "caption", code: limits.captionCountsBytes ? "captionTooLongBytes" : "captionTooLong", params: { length, max: limits.captionMaxLength } });
  if (hashtags.length > limits.hashtagsMax) issues.push({ field: "hashtags", code: "tooManyHashtags", params: { count: hashtags.length, max: limits.hashtagsMax } });
  const badTag = hashtags.find((h) => !HASHTAG.test(h));
  if (badTag) issues.push({ field: "hashtags", code: "invalidHashtag", params: { tag: badTag } });

  if (limits.title) {
    const title = (variant.title ?? "").trim();
    if (limits.title.required && !title) issues.push({ field: "title", code: "titleRequired" });
    if ([...title].length > limits.title.maxLength) issues.push({ field: "title", code: "titleTooLong", params: { length: [...title].length, max: limits.title.maxLength } });
    // YouTube refuses angle brackets in titles (invalidTitle).
    if (/[<>]/.test(title)) issues.push({ field: "title", code: "titleInvalidCharacters" });
  }

  if (variant.privacy !== null && variant.privacy !== "" && !limits.privacyOptions.includes(variant.privacy)) {
    issues.push({ field: "privacy", code: "privacyUnknown", params: { value: variant.privacy } });
  }

  if (media.length < limits.mediaMin) issues.push({ field: "media", code: "mediaRequired", params: { min: limits.mediaMin } });
  if (media.length > limits.mediaMax) issues.push({ field: "media", code: "tooManyMedia", params: { count: media.length, max: limits.mediaMax } });
  media.forEach((item, index) => issues.push(...validateMedia(variant.network, item, index + 1, media.length > 1)));
  return issues;
}

function validateMedia(network: SocialNetworkId, item: MediaFacts, position: number, carousel: boolean): ValidationIssue[] {
  const limits = NETWORK_LIMITS[network];
  const kind: MediaKind | null = mediaKindOf(item.mimeType);
  const rules = kind === "IMAGE" ? limits.image : kind === "VIDEO" ? limits.video : null;
  if (!kind || !rules) return [{ field: "media", code: kind === "IMAGE" ? "imagesNotAccepted" : "mediaTypeNotAccepted", params: { position, type: item.mimeType } }];
  const issues: ValidationIssue[] = [];
  if (!rules.mimeTypes.includes(item.mimeType)) issues.push({ field: "media", code: "mediaFormatNotAccepted", params: { position, type: item.mimeType, accepted: rules.mimeTypes.join(", ") } });
  if (item.sizeBytes > rules.maxBytes) issues.push({ field: "media", code: "mediaTooLarge", params: { position, sizeMb: round(item.sizeBytes / 1048576), maxMb: round(rules.maxBytes / 1048576) } });
  const aspect = item.width && item.height ? item.width / item.height : null;
  const minAspect = rules.minAspect;
  const maxAspect = rules.maxAspect;
  if (aspect !== null && minAspect !== null && maxAspect !== null && (aspect < minAspect - 0.005 || aspect > maxAspect + 0.005)) {
    issues.push({ field: "media", code: "aspectOutOfRange", params: { position, aspect: round(aspect), min: round(minAspect), max: round(maxAspect) } });
  }
  if (kind === "VIDEO" && limits.video) {
    if (item.durationMs === null) issues.push({ field: "media", code: "durationUnknown", params: { position } });
    else if (item.durationMs < limits.video.minDurationMs || item.durationMs > limits.video.maxDurationMs) {
      issues.push({ field: "media", code: "durationOutOfRange", params: { position, seconds: round(item.durationMs / 1000), min: round(limits.video.minDurationMs / 1000), max: round(limits.video.maxDurationMs / 1000) } });
    }
    // Instagram carousels may mix images and videos; a video-only network takes exactly one.
    if (carousel && network !== "INSTAGRAM") issues.push({ field: "media", code: "singleVideoOnly", params: { position } });
  }
  return issues;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
