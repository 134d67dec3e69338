/**
 * Keeps an organization's embeddings in step with its listing titles and content captions. Runs in
 * background functions only (src/server/jobs/functions/search.ts): a person's request embeds at most
 * its own query text. A subject whose text hash is unchanged is not embedded again.
 */
import { createHash } from "node:crypto";

import { embeddingModelName, embeddingProviderFromEnv, embedTexts, type EmbeddingProviderConfig } from "~/server/ai/embeddings";
import type { DbOrTx } from "~/server/db";
import {
  contentTexts,
  listingTexts,
  pruneEmbeddings,
  storedHashes,
  upsertEmbeddings,
  type SubjectText,
  type SubjectType,
} from "~/server/repositories/embeddings";

/** Subjects read (and at most embedded) per step. */
export const INDEX_BATCH = 200;

export function textHash(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export type IndexBatchInput = { organizationId: string; userId?: string; subjectType: SubjectType; afterId: string | null };
export type IndexBatchResult = { read: number; embedded: number; skipped: number; nextAfterId: string | null };

const loaders: Record<SubjectType, (db: DbOrTx, organizationId: string, afterId: string | null, take: number) => Promise<SubjectText[]>> = {
  listing: listingTexts,
  content: contentTexts,
};

/** One page of subjects (id order after `afterId`): embeds the new and changed ones. */
export async function indexBatch(
  db: DbOrTx,
  input: IndexBatchInput,
  options: { provider?: EmbeddingProviderConfig | null; batchSize?: number } = {},
): Promise<IndexBatchResult> {
  const provider = options.provider === undefined ? embeddingProviderFromEnv() : options.provider;
  const model = embeddingModelName(provider);
  const take = options.batchSize ?? INDEX_BATCH;
  const subjects = await loaders[input.subjectType](db, input.organizationId, input.afterId, take);
  const hashes = await storedHashes(db, input.organizationId, input.subjectType, model, subjects.map((s) => s.subjectId));
  const changed = subjects.map((s) => ({ ...s, hash: textHash(s.text) })).filter((s) => hashes.get(s.subjectId) !== s.hash);
  if (changed.length > 0) {
    const batch = await embedTexts(db, { organizationId: input.organizationId, userId: input.userId, feature: "search.index" }, changed.map((s) => s.text), { provider });
    await upsertEmbeddings(
      db,
      input.organizationId,
      input.subjectType,
      model,
      changed.map((s, i) => ({ subjectId: s.subjectId, textHash: s.hash, vector: batch.vectors[i]! })),
    );
  }
  return {
    read: subjects.length,
    embedded: changed.length,
    skipped: subjects.length - changed.length,
    nextAfterId: subjects.length === take ? subjects[subjects.length - 1]!.subjectId : null,
  };
}

/** Every page of every requested type, then removes embeddings of deleted subjects (tests, scripts). */
export async function indexOrganization(
  db: DbOrTx,
  input: { organizationId: string; userId?: string; types?: SubjectType[] },
  options: { provider?: EmbeddingProviderConfig | null; batchSize?: number } = {},
) {
  const totals = { read: 0, embedded: 0, skipped: 0, pruned: 0 };
  for (const subjectType of input.types ?? (["listing", "content"] as const)) {
    let afterId: string | null = null;
    do {
      const result: IndexBatchResult = await indexBatch(db, { ...input, subjectType, afterId }, options);
      totals.read += result.read;
      totals.embedded += result.embedded;
      totals.skipped += result.skipped;
      afterId = result.nextAfterId;
    } while (afterId);
  }
  totals.pruned = await pruneEmbeddings(db, input.organizationId);
  return totals;
}
