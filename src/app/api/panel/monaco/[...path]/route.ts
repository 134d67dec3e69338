import { readFile } from "node:fs/promises";
import path from "node:path";

import { jsonError } from "~/server/lib/http";

import { panelEnabled } from "../../_lib/panel";

export const dynamic = "force-dynamic";

const CONTENT_TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".ttf": "font/ttf",
  ".json": "application/json",
};

/** The Monaco editor's files (node_modules/monaco-editor/min/vs) for the tRPC panel's JSON editor. */
export async function GET(_request: Request, { params }: { params: Promise<{ path: string[] }> }) {
  const notFound = () => jsonError("NOT_FOUND", "No API route matches this path");
  if (!panelEnabled()) return notFound();
  const segments = (await params).path;
  // The page asks for /monaco/vs/<file>; plain names only, no "..", no hidden files.
  if (segments[0] !== "vs" || segments.length < 2 || !segments.every((s) => /^[A-Za-z0-9_][\w.-]*$/.test(s) && !s.includes(".."))) {
    return notFound();
  }
  const contentType = CONTENT_TYPES[path.extname(segments.at(-1)!)];
  if (!contentType) return notFound();
  const root = path.join(process.cwd(), "node_modules", "monaco-editor", "min", "vs");
  const file = path.join(root, ...segments.slice(1));
  if (!file.startsWith(root + path.sep)) return notFound();
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return notFound();
  }
  return new Response(new Uint8Array(body), {
    headers: { "content-type": contentType, "cache-control": "public, max-age=86400", "x-content-type-options": "nosniff" },
  });
}
