import { cron } from "inngest";

import { db } from "~/server/db";
import { organizationsToIndex, pruneEmbeddings, type SubjectType } from "~/server/repositories/embeddings";
import { indexBatch } from "~/server/services/search/indexing";
import { inngest } from "../client";
import { scoresRecomputed, searchIndexRequested } from "../events";
import { runPriority } from "../priority";

/** Steps (pages of 200 subjects) per run; a larger organization continues in a new run. */
export const INDEX_STEPS_PER_RUN = 100;

/**
 * Embeds an organization's new and changed listing titles and content texts (unchanged text hashes
 * are skipped, so a re-run costs reads, not embeddings). Triggered on demand (search page, first
 * search), after content edits, after every score recompute (which follows each listing sync) and
 * by the sweep below.
 * One run per organization at a time: two would embed the same changed rows twice.
 */
export const indexEmbeddings = inngest.createFunction(
  {
    id: "search-index-embeddings",
    name: "Index embeddings for semantic search",
    triggers: [searchIndexRequested, scoresRecomputed],
    concurrency: { limit: 1, key: "event.data.organizationId" },
    // Enrichment, even when a person asked: it must not hold up publishing or applying actions.
    priority: runPriority.bulk,
    retries: 4,
  },
  async ({ event, step }) => {
    const { organizationId, userId, correlationId } = event.data;
    const types: SubjectType[] =
      event.name === searchIndexRequested.name ? ((event.data as { types?: SubjectType[] }).types ?? ["listing", "content"]) : ["listing"];
    const totals = { read: 0, embedded: 0, skipped: 0 };
    let steps = 0;
    for (const subjectType of types) {
      let afterId: string | null = null;
      do {
        if (steps++ >= INDEX_STEPS_PER_RUN) {
          await step.sendEvent("continue", searchIndexRequested.create({ organizationId, userId, correlationId, types }));
          return { ...totals, continued: true };
        }
        const result = await step.run(`${subjectType}-${steps}`, () => indexBatch(db, { organizationId, userId, subjectType, afterId }));
        totals.read += result.read;
        totals.embedded += result.embedded;
        totals.skipped += result.skipped;
        afterId = result.nextAfterId;
      } while (afterId);
    }
    const pruned = await step.run("prune", () => pruneEmbeddings(db, organizationId));
    return { ...totals, pruned, continued: false };
  },
);

/** Every 6 hours: re-index every active organization (the safety net for lost or missing triggers). */
export const indexEmbeddingsSweep = inngest.createFunction(
  { id: "search-index-sweep", name: "Semantic search: periodic re-index", triggers: [cron("40 */6 * * *")], priority: runPriority.bulk, retries: 2 },
  async ({ step }) => {
    const organizationIds = await step.run("organizations", () => organizationsToIndex(db));
    if (organizationIds.length > 0) {
      await step.sendEvent("index", organizationIds.map((organizationId) => searchIndexRequested.create({ organizationId })));
    }
    return { organizations: organizationIds.length };
  },
);

export const searchFunctions = [indexEmbeddings, indexEmbeddingsSweep];
