/**
 * Keeps the semantic search index close behind content edits: an edit asks for a content-only
 * indexing run that starts after the current minute ends. All edits of that minute share one event
 * id (so one run), and the run starts after them, so it reads their final words.
 */
import { inngest } from "~/server/jobs/client";
import { searchIndexRequested } from "~/server/jobs/events";

import type { TenantCtx } from "../context";

const WINDOW_MS = 60_000;

export async function contentTextChanged(ctx: TenantCtx, now = Date.now()): Promise<void> {
  const { organizationId } = ctx.tenant;
  const bucket = Math.floor(now / WINDOW_MS);
  try {
    await inngest.send(
      searchIndexRequested.create({ organizationId, types: ["content"] }, { id: `search-index-content-${organizationId}-${bucket}`, ts: (bucket + 1) * WINDOW_MS + 5_000 }),
    );
  } catch (error) {
    // The edit itself succeeded; the 6-hourly sweep indexes it if this request got lost.
    ctx.log.warn({ err: error instanceof Error ? error.message : String(error) }, "search: content indexing request failed");
  }
}
