import sharp from "sharp";

import type { ProbeResult } from "./probe";
import type { Sniffed } from "./sniff";

export const THUMBNAIL_WIDTH = 320;

/**
 * A 320 px wide JPEG preview. Images: the picture itself, turned upright by its EXIF orientation,
 * transparency on white. Videos: no frame decoder is available here (no ffmpeg on the servers), so
 * the poster is drawn from an SVG — a play symbol with the duration and the dimensions — in the
 * video's aspect ratio (between 16:9 and 9:16).
 */
export async function makeThumbnail(filePath: string, type: Sniffed, facts: ProbeResult): Promise<Buffer> {
  if (type.kind === "IMAGE") {
    return sharp(filePath)
      .rotate()
      .resize({ width: THUMBNAIL_WIDTH, withoutEnlargement: true })
      .flatten({ background: "#ffffff" })
      .jpeg({ quality: 78, mozjpeg: true })
      .toBuffer();
  }
  return sharp(Buffer.from(videoPosterSvg(facts))).jpeg({ quality: 80 }).toBuffer();
}

export function formatDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

export function videoPosterSvg(facts: ProbeResult): string {
  const width = THUMBNAIL_WIDTH;
  const aspect = facts.width && facts.height ? facts.height / facts.width : 9 / 16;
  const height = Math.round(width * Math.min(16 / 9, Math.max(9 / 16, aspect)));
  const cx = width / 2;
  const cy = height / 2;
  const r = 34;
  const label = [facts.durationMs !== null ? formatDuration(facts.durationMs) : null, facts.width && facts.height ? `${facts.width}×${facts.height}` : null]
    .filter(Boolean)
    .join("  ·  ");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
  <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#1f2937"/><stop offset="1" stop-color="#111827"/></linearGradient></defs>
  <rect width="${width}" height="${height}" fill="url(#g)"/>
  <circle cx="${cx}" cy="${cy}" r="${r}" fill="#ffffff" fill-opacity="0.92"/>
  <path d="M ${cx - 11} ${cy - 17} L ${cx + 19} ${cy} L ${cx - 11} ${cy + 17} Z" fill="#111827"/>
  ${label ? `<text x="${cx}" y="${height - 16}" text-anchor="middle" font-family="DejaVu Sans, Arial, sans-serif" font-size="15" fill="#f9fafb">${label}</text>` : ""}
</svg>`;
}
