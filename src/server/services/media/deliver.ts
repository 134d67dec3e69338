import type { Db } from "~/server/db";
import { verifyMediaSignature } from "~/server/media/signed-url";
import { mediaStorage, type ByteRange } from "~/server/media/storage";
import { findMediaForDelivery } from "~/server/repositories/media";

export type ParsedRange = { kind: "none" } | { kind: "range"; range: ByteRange } | { kind: "unsatisfiable" };

/**
 * One `bytes=` range (start-end, start-, or -suffix) against a file of `size` bytes. Several
 * ranges at once are answered with the whole file (allowed by RFC 9110), never multipart.
 */
export function parseRange(header: string | null, size: number): ParsedRange {
  if (!header) return { kind: "none" };
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return header.trim().startsWith("bytes=") && header.includes(",") ? { kind: "none" } : { kind: "unsatisfiable" };
  const [, first, last] = match;
  if (!first && !last) return { kind: "unsatisfiable" };
  if (!first) {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: "unsatisfiable" };
    return { kind: "range", range: { start: Math.max(0, size - suffix), end: size } };
  }
  const start = Number(first);
  const end = last ? Math.min(Number(last) + 1, size) : size;
  if (start >= size || end <= start) return { kind: "unsatisfiable" };
  return { kind: "range", range: { start, end } };
}

function plain(status: number, message: string): Response {
  return new Response(message, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
}

/**
 * GET/HEAD /api/v1/media/{id}/{variant}?exp&sig — no session (the networks fetch it): a valid,
 * unexpired signature streams the bytes, with Range support. Forged or expired → 403; unknown,
 * deleted or rejected media → 404.
 */
export async function deliverMedia(db: Db, request: Request, mediaId: string, variant: string, now: Date = new Date()): Promise<Response> {
  const url = new URL(request.url);
  const exp = url.searchParams.get("exp");
  const check = verifyMediaSignature(mediaId, variant, exp, url.searchParams.get("sig"), now);
  if (check === "expired") return plain(403, "This media link has expired");
  if (check !== "valid") return plain(403, "Invalid media link");

  const row = await findMediaForDelivery(db, mediaId);
  const key = variant === "thumbnail" ? row?.thumbnailKey : row?.storageKey;
  if (!row || !key) return plain(404, "Not found");

  const storage = mediaStorage();
  const size = variant === "file" ? Number(row.sizeBytes) : await storage.size(key);
  if (size === null) return plain(404, "Not found");
  const etag = `"${row.checksumSha256}${variant === "file" ? "" : "-t"}"`;
  const maxAge = Math.max(0, Number(exp) - Math.floor(now.getTime() / 1000));
  const headers = new Headers({
    "content-type": variant === "file" ? row.mimeType : "image/jpeg",
    "accept-ranges": "bytes",
    etag,
    "cache-control": `private, max-age=${Math.min(maxAge, 3600)}`,
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'; sandbox",
  });

  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });

  const parsed = parseRange(request.headers.get("range"), size);
  if (parsed.kind === "unsatisfiable") {
    headers.set("content-range", `bytes */${size}`);
    return new Response(null, { status: 416, headers });
  }
  const range = parsed.kind === "range" ? parsed.range : undefined;
  const length = range ? range.end - range.start : size;
  headers.set("content-length", String(length));
  if (range) headers.set("content-range", `bytes ${range.start}-${range.end - 1}/${size}`);
  const status = range ? 206 : 200;
  if (request.method === "HEAD") return new Response(null, { status, headers });
  return new Response(await storage.stream(key, range), { status, headers });
}
