import { createHmac, timingSafeEqual } from "node:crypto";

import { env } from "~/env";

export type MediaUrlVariant = "file" | "thumbnail";
export const MEDIA_URL_VARIANTS: readonly MediaUrlVariant[] = ["file", "thumbnail"];

/**
 * Expiry is rounded up to this many seconds so that asking twice within the window gives the same
 * URL (browsers and networks can cache it); the URL stays valid at least `ttlSeconds`.
 */
const EXPIRY_STEP_SECONDS = 300;

// A key of its own, derived from AUTH_SECRET: a media signature can never pass as any other token.
function signingKey(secret: string): Buffer {
  return createHmac("sha256", secret).update("super-seller/media-url/v1").digest();
}

function signature(secret: string, mediaId: string, variant: MediaUrlVariant, exp: number): Buffer {
  return createHmac("sha256", signingKey(secret)).update(`${mediaId}|${variant}|${exp}`).digest();
}

/**
 * `${appUrl}/api/v1/media/{id}/{variant}?exp=<unix>&sig=<base64url HMAC>` — the public, expiring
 * address of a media file (networks fetch it without a session). `appUrl` "" gives a path-only URL
 * (for the app's own pages).
 */
export function signedMediaUrl(
  appUrl: string,
  mediaId: string,
  variant: MediaUrlVariant,
  ttlSeconds: number = env.MEDIA_URL_TTL_SECONDS,
  now: Date = new Date(),
  secret: string = env.AUTH_SECRET,
): string {
  const earliest = Math.floor(now.getTime() / 1000) + ttlSeconds;
  const exp = Math.ceil(earliest / EXPIRY_STEP_SECONDS) * EXPIRY_STEP_SECONDS;
  const sig = signature(secret, mediaId, variant, exp).toString("base64url");
  return `${appUrl.replace(/\/+$/, "")}/api/v1/media/${encodeURIComponent(mediaId)}/${variant}?exp=${exp}&sig=${sig}`;
}

export type SignatureCheck = "valid" | "expired" | "invalid";

/** Checks `exp` and `sig` of a media URL (constant-time comparison); expired is told apart from forged. */
export function verifyMediaSignature(
  mediaId: string,
  variant: string,
  exp: string | null,
  sig: string | null,
  now: Date = new Date(),
  secret: string = env.AUTH_SECRET,
): SignatureCheck {
  if (!MEDIA_URL_VARIANTS.includes(variant as MediaUrlVariant)) return "invalid";
  if (!exp || !/^\d{1,12}$/.test(exp) || !sig || !/^[A-Za-z0-9_-]{43}$/.test(sig)) return "invalid";
  const expected = signature(secret, mediaId, variant as MediaUrlVariant, Number(exp));
  const given = Buffer.from(sig, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return "invalid";
  return Number(exp) * 1000 <= now.getTime() ? "expired" : "valid";
}
