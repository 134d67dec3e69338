/**
 * "Find similar" over an organization's listings and content: embeds the query text (or takes a
 * subject's stored vector), ranks the organization's embeddings by cosine similarity and adds each
 * hit's performance, so past winners stand out. Only the caller's organization is ever searched.
 */
import { embeddingModelName, embeddingProviderFromEnv, embedTexts, type EmbeddingProviderConfig } from "~/server/ai/embeddings";
import { can } from "~/server/auth/permissions";
import { inngest } from "~/server/jobs/client";
import { jobContextOf, searchIndexRequested } from "~/server/jobs/events";
import { forbidden, notFound } from "~/server/lib/errors";
import {
  contentPerformance,
  contentTexts,
  countEmbeddings,
  findEmbedding,
  listingPerformance,
  listingTexts,
  searchPath,
  searchSimilar,
  type ContentPerformance,
  type ListingPerformance,
  type SearchPath,
  type SubjectType,
} from "~/server/repositories/embeddings";

import type { TenantCtx } from "../context";
import { textHash } from "./indexing";

/** Below this cosine a hit shares little more than noise with the query (local embedding). */
export const MIN_SCORE = 0.12;
const PERFORMANCE_DAYS = 30;
const DAY_MS = 86_400_000;

export type SimilarInput = {
  query?: string;
  subject?: { type: SubjectType; id: string };
  types?: SubjectType[];
  limit: number;
};

export type SimilarItem =
  | { type: "listing"; id: string; score: number; listing: ListingPerformance }
  | { type: "content"; id: string; score: number; content: ContentPerformance };

export type SimilarResult = {
  items: SimilarItem[];
  model: string;
  path: SearchPath;
  /** Subjects indexed per type under the current model (0 = indexing has not run yet). */
  indexed: { listing: number; content: number };
  /** An indexing run was requested because nothing was indexed yet. */
  indexingRequested: boolean;
};

const PERMISSION: Record<SubjectType, "listings:read" | "content:read"> = { listing: "listings:read", content: "content:read" };

async function subjectVector(ctx: TenantCtx, subject: { type: SubjectType; id: string }, model: string, provider: EmbeddingProviderConfig | null) {
  const { organizationId } = ctx.tenant;
  const load = subject.type === "listing" ? listingTexts : contentTexts;
  const [text] = await load(ctx.db, organizationId, null, 1, subject.id);
  if (!text) throw notFound(subject.type === "listing" ? "Listing" : "Content");
  const stored = await findEmbedding(ctx.db, organizationId, subject.type, subject.id, model);
  if (stored && stored.textHash === textHash(text.text)) return stored.vector;
  // Not indexed yet (or edited since): this one text is embedded now, like a query.
  const batch = await embedTexts(ctx.db, { organizationId, userId: ctx.tenant.userId, feature: "search.query" }, [text.text], { provider });
  return batch.vectors[0] ?? [];
}

export async function findSimilar(ctx: TenantCtx, input: SimilarInput, options: { provider?: EmbeddingProviderConfig | null } = {}): Promise<SimilarResult> {
  const { organizationId, role } = ctx.tenant;
  const requested = input.types?.length ? input.types : (["listing", "content"] as SubjectType[]);
  const types = requested.filter((t) => can(role, PERMISSION[t]));
  if (types.length === 0) throw forbidden();
  if (input.subject && !can(role, PERMISSION[input.subject.type])) throw forbidden();

  const provider = options.provider === undefined ? embeddingProviderFromEnv() : options.provider;
  const model = embeddingModelName(provider);
  // First the subject (another organization's id ends here as NOT_FOUND), then anything else.
  const vector = input.subject
    ? await subjectVector(ctx, input.subject, model, provider)
    : (await embedTexts(ctx.db, { organizationId, userId: ctx.tenant.userId, feature: "search.query" }, [input.query ?? ""], { provider })).vectors[0] ?? [];

  const counts = await countEmbeddings(ctx.db, organizationId, model);
  const indexed = { listing: counts.listing ?? 0, content: counts.content ?? 0 };
  let indexingRequested = false;
  if (types.every((t) => indexed[t] === 0)) {
    // First search of the organization (or a new model): index in the background, once per 10 minutes.
    const bucket = Math.floor(Date.now() / 600_000);
    await inngest.send(searchIndexRequested.create({ ...jobContextOf(ctx), types }, { id: `search-index-${organizationId}-${types.join("+")}-${bucket}` }));
    indexingRequested = true;
  }
  const path = await searchPath(ctx.db);
  const empty = { items: [], model, path, indexed, indexingRequested };
  if (!vector.some((v) => v !== 0)) return empty;

  const hits = (
    await searchSimilar(ctx.db, organizationId, {
      model,
      vector,
      types,
      limit: input.limit,
      exclude: input.subject ? { subjectType: input.subject.type, subjectId: input.subject.id } : undefined,
    })
  ).filter((h) => h.score >= MIN_SCORE);

  const since = new Date(Date.now() - PERFORMANCE_DAYS * DAY_MS);
  const [listings, contents] = await Promise.all([
    listingPerformance(ctx.db, organizationId, hits.filter((h) => h.subjectType === "listing").map((h) => h.subjectId), since),
    contentPerformance(ctx.db, organizationId, hits.filter((h) => h.subjectType === "content").map((h) => h.subjectId)),
  ]);
  const listingById = new Map(listings.map((l) => [l.id, l]));
  const contentById = new Map(contents.map((c) => [c.id, c]));
  const items: SimilarItem[] = [];
  for (const hit of hits) {
    const score = Math.round(hit.score * 1000) / 1000;
    // A subject deleted since it was indexed has no row here and is left out (the next run prunes it).
    if (hit.subjectType === "listing") {
      const listing = listingById.get(hit.subjectId);
      if (listing) items.push({ type: "listing", id: hit.subjectId, score, listing });
    } else {
      const content = contentById.get(hit.subjectId);
      if (content) items.push({ type: "content", id: hit.subjectId, score, content });
    }
  }
  return { ...empty, items };
}

/** Asks the background function to (re-)index the organization now. */
export async function requestReindex(ctx: TenantCtx): Promise<{ requested: true }> {
  await inngest.send(searchIndexRequested.create(jobContextOf(ctx)));
  return { requested: true };
}
