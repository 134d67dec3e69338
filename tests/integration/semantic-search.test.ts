/**
 * Semantic search on real PostgreSQL 15 (no pgvector here: the SQL fallback path): a known
 * near-duplicate ranks first, another organization's identical title never shows up, unchanged
 * texts are not embedded again, deleted subjects are pruned, performance figures come along, and the
 * OpenAI-compatible provider path (real HTTP to the test double) is metered.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { embedTexts, type EmbeddingProviderConfig } from "~/server/ai/embeddings";
import { INNGEST_APP_ID } from "~/server/jobs/client";
import { searchFunctions } from "~/server/jobs/functions/search";
import { startLocalRunner } from "~/server/jobs/local/runner";
import { LOCAL_EMBEDDING_MODEL } from "~/server/ai/local-embedding";
import { AppError } from "~/server/lib/errors";
import { searchPath } from "~/server/repositories/embeddings";
import { indexOrganization } from "~/server/services/search/indexing";
import { findSimilar } from "~/server/services/search/similar";
import { contentTextChanged } from "~/server/services/search/triggers";

import { startOpenAiCompatibleServer, type OpenAiCompatibleServer } from "../helpers/openai-compatible-server";
import { callerFor, createOrgFixture, db, tenantCtxOf, type OrgFixture } from "./helpers/fixtures";

const NEAR_DUPLICATE = "Tênis Corrida Masculino Leve Amortecimento Preto";
const QUERY = "tenis de corrida masculino leve";

let a: OrgFixture;
let b: OrgFixture;
const ids: Record<string, string> = {};
let server: OpenAiCompatibleServer;

async function addListing(fx: OrgFixture, title: string, visitsPerDay = 0, salesPerDay = 0) {
  const listing = await db.listing.create({
    data: {
      organizationId: fx.organizationId,
      connectionId: fx.connectionId,
      provider: "MERCADOLIVRE",
      externalId: `MLB-${Math.random().toString(36).slice(2)}`,
      title,
      priceCents: 19990,
      soldQuantity: salesPerDay * 100,
    },
  });
  for (let day = 1; day <= 3 && visitsPerDay > 0; day++) {
    await db.listingMetricSnapshot.create({
      data: {
        organizationId: fx.organizationId,
        listingId: listing.id,
        date: new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() - day)),
        visits: visitsPerDay,
        sales: salesPerDay,
        priceCents: 19990,
        stock: 10,
      },
    });
  }
  return listing.id;
}

beforeAll(async () => {
  server = await startOpenAiCompatibleServer();
  a = await createOrgFixture("search-a");
  b = await createOrgFixture("search-b");
  ids.near = await addListing(a, NEAR_DUPLICATE, 40, 2);
  ids.casual = await addListing(a, "Tênis Casual Feminino Branco", 10, 0);
  ids.panela = await addListing(a, "Panela de Pressão Inox 4,5 Litros", 5, 1);
  ids.fone = await addListing(a, "Fone de Ouvido Bluetooth sem Fio");
  ids.camiseta = await addListing(a, "Camiseta Dry Fit Corrida Masculina");
  // Organization B holds the very same title: it must never appear in A's results (nor A's in B's).
  ids.bTwin = await addListing(b, NEAR_DUPLICATE, 999, 99);
  const content = await db.content.create({
    data: { organizationId: a.organizationId, title: "Lançamento tênis de corrida", baseCaption: "Nosso tênis de corrida masculino mais leve chegou! #corrida" },
  });
  ids.content = content.id;
  await indexOrganization(db, { organizationId: a.organizationId }, { provider: null });
  await indexOrganization(db, { organizationId: b.organizationId }, { provider: null });
});

afterAll(async () => {
  await server.close();
});

describe("semantic search (SQL fallback on PostgreSQL 15)", () => {
  it("uses the fallback path where pgvector is not installed", async () => {
    const installed = await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM pg_extension WHERE extname = 'vector'`;
    expect(await searchPath(db)).toBe(installed[0]!.n > 0n ? "pgvector" : "fallback");
  });

  it("ranks the known near-duplicate first, with its similarity and performance", async () => {
    const caller = await callerFor(a.users.VIEWER.userId);
    const result = await caller.search.similar({ query: QUERY, types: ["listing"], limit: 10 });
    expect(result.model).toBe(LOCAL_EMBEDDING_MODEL);
    expect(result.items[0]).toMatchObject({ type: "listing", id: ids.near });
    const first = result.items[0]!;
    if (first.type !== "listing") throw new Error("expected a listing");
    expect(first.score).toBeGreaterThan(0.6);
    expect(first.listing).toMatchObject({ title: NEAR_DUPLICATE, visits30d: 120, sales30d: 6, soldQuantity: 200 });
    // Scores are in descending order and the unrelated kitchen item is not above the casual shoe.
    const scores = result.items.map((i) => i.score);
    expect([...scores].sort((x, y) => y - x)).toEqual(scores);
    const order = result.items.map((i) => i.id);
    if (order.includes(ids.panela!)) expect(order.indexOf(ids.casual!)).toBeLessThan(order.indexOf(ids.panela!));
  });

  it("never returns another organization's rows, even with an identical title", async () => {
    const resultA = await (await callerFor(a.users.OWNER.userId)).search.similar({ query: NEAR_DUPLICATE, limit: 50 });
    const returnedA = resultA.items.map((i) => i.id);
    expect(returnedA).toContain(ids.near);
    expect(returnedA).not.toContain(ids.bTwin);
    expect(returnedA).not.toContain(b.listingId);

    const resultB = await (await callerFor(b.users.OWNER.userId)).search.similar({ query: NEAR_DUPLICATE, limit: 50 });
    const returnedB = resultB.items.map((i) => i.id);
    expect(returnedB[0]).toBe(ids.bTwin);
    for (const id of Object.values(ids).filter((id) => id !== ids.bTwin)) expect(returnedB).not.toContain(id);
    expect(returnedB).not.toContain(a.listingId);
  });

  it("finds items similar to a listing (itself left out), and content with its engagement", async () => {
    const caller = await callerFor(a.users.OPERATOR.userId);
    const result = await caller.search.similar({ subject: { type: "listing", id: ids.near! }, limit: 10 });
    const returned = result.items.map((i) => i.id);
    expect(returned).not.toContain(ids.near);
    expect(returned).toContain(ids.content);
    expect(returned).not.toContain(ids.bTwin);
    const content = result.items.find((i) => i.type === "content");
    expect(content && content.type === "content" ? content.content.title : null).toBe("Lançamento tênis de corrida");

    // B's owner naming A's listing: NOT_FOUND, not B's nearest rows.
    await expect((await callerFor(b.users.OWNER.userId)).search.similar({ subject: { type: "listing", id: ids.near! }, limit: 10 })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("re-uses embeddings when the text is unchanged and re-embeds only what changed", async () => {
    const before = await db.embedding.findMany({ where: { organizationId: a.organizationId }, orderBy: { subjectId: "asc" } });
    const usageBefore = await db.aiUsage.count({ where: { organizationId: a.organizationId, feature: "search.index" } });
    const again = await indexOrganization(db, { organizationId: a.organizationId }, { provider: null });
    expect(again.embedded).toBe(0);
    expect(again.skipped).toBe(again.read);
    const after = await db.embedding.findMany({ where: { organizationId: a.organizationId }, orderBy: { subjectId: "asc" } });
    expect(after.map((e) => [e.subjectId, e.updatedAt.getTime(), e.textHash])).toEqual(before.map((e) => [e.subjectId, e.updatedAt.getTime(), e.textHash]));
    // No embedding call at all: nothing metered.
    expect(await db.aiUsage.count({ where: { organizationId: a.organizationId, feature: "search.index" } })).toBe(usageBefore);

    await db.listing.update({ where: { id: ids.fone }, data: { title: "Fone de Ouvido Bluetooth sem Fio com Microfone" } });
    const changed = await indexOrganization(db, { organizationId: a.organizationId }, { provider: null });
    expect(changed.embedded).toBe(1);
    const fone = after.find((e) => e.subjectId === ids.fone)!;
    const refreshed = await db.embedding.findFirstOrThrow({ where: { organizationId: a.organizationId, subjectId: ids.fone } });
    expect(refreshed.textHash).not.toBe(fone.textHash);
  });

  it("prunes the embedding of a deleted listing", async () => {
    await db.listing.update({ where: { id: ids.camiseta }, data: { deletedAt: new Date() } });
    const result = await indexOrganization(db, { organizationId: a.organizationId }, { provider: null });
    expect(result.pruned).toBe(1);
    expect(await db.embedding.count({ where: { organizationId: a.organizationId, subjectId: ids.camiseta } })).toBe(0);
  });

  it("a query with no usable words returns nothing rather than noise", async () => {
    const result = await findSimilar(tenantCtxOf(a, "VIEWER"), { query: "de para com", limit: 10 });
    expect(result.items).toEqual([]);
  });
});

describe("semantic search with an OpenAI-compatible embedding provider", () => {
  const provider = (): EmbeddingProviderConfig => ({ baseURL: server.baseURL, model: "test-embed-small", apiKey: "sk-test", timeoutMs: 2_000, priceUsdPerMTok: 20 });

  it("indexes through /embeddings, meters tokens, and searches the provider's vectors only", async () => {
    server.reset();
    const result = await indexOrganization(db, { organizationId: a.organizationId, types: ["listing"] }, { provider: provider() });
    expect(result.embedded).toBeGreaterThan(0);
    expect(server.embeddingInputs).toContain(NEAR_DUPLICATE);
    expect(server.embeddingInputs).not.toContain("Camiseta Dry Fit Corrida Masculina"); // deleted above
    const rows = await db.embedding.findMany({ where: { organizationId: a.organizationId, model: "test-embed-small" } });
    expect(rows.every((r) => r.dims === 64 && r.vector.length === 64)).toBe(true);
    const usage = await db.aiUsage.findMany({ where: { organizationId: a.organizationId, provider: "openai-compatible", feature: "search.index" } });
    expect(usage.length).toBeGreaterThan(0);
    expect(usage[0]).toMatchObject({ model: "test-embed-small", outcome: "ok" });
    expect(usage[0]!.promptTokens).toBeGreaterThan(0);

    const found = await findSimilar(tenantCtxOf(a, "VIEWER"), { query: QUERY, types: ["listing"], limit: 5 }, { provider: provider() });
    expect(found.model).toBe("test-embed-small");
    expect(found.items[0]?.id).toBe(ids.near);
  });

  it("a provider failure is metered and reported, never replaced by vectors of another model", async () => {
    server.reset();
    server.failEmbeddings = true;
    const metering = { organizationId: a.organizationId, feature: "search.query" };
    const error = await embedTexts(db, metering, ["tênis"], { provider: provider() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "SERVICE_UNAVAILABLE", reason: "embeddingProviderUnavailable" });
    const last = await db.aiUsage.findFirstOrThrow({ where: { organizationId: a.organizationId, feature: "search.query", provider: "openai-compatible" }, orderBy: { createdAt: "desc" } });
    expect(last.outcome).toBe("error");
  });
});

describe("indexing in the background (local runner)", () => {
  it("the first search asks for indexing; the function embeds the organization; then the search finds", async () => {
    const c = await createOrgFixture("search-bg");
    const near = await addListing(c, "Mochila Impermeável para Notebook 15 Polegadas");
    await addListing(c, "Cafeteira Elétrica 30 Xícaras");
    const runner = await startLocalRunner({ functions: searchFunctions, cron: false, pollIntervalMs: 100, retryDelay: () => 200, concurrency: 2 });
    try {
      await runner.ready;
      const caller = await callerFor(c.users.VIEWER.userId);
      const first = await caller.search.similar({ query: "mochila notebook impermeavel", limit: 5 });
      expect(first).toMatchObject({ indexingRequested: true, indexed: { listing: 0, content: 0 }, items: [] });

      const deadline = Date.now() + 30_000;
      while ((await db.embedding.count({ where: { organizationId: c.organizationId } })) < 3) {
        if (Date.now() > deadline) throw new Error("the index function never embedded the organization");
        await new Promise((r) => setTimeout(r, 100));
      }
      const run = await db.jobRun.findFirst({ where: { organizationId: c.organizationId, functionId: `${INNGEST_APP_ID}-search-index-embeddings` } });
      expect(run).not.toBeNull();

      const second = await caller.search.similar({ query: "mochila notebook impermeavel", limit: 5 });
      expect(second.indexingRequested).toBe(false);
      expect(second.items[0]?.id).toBe(near);
      // Only this organization was indexed by its event.
      expect(await db.embedding.count({ where: { organizationId: c.organizationId, subjectType: "listing" } })).toBe(3);

      // A content edit asks for a content-only run after the current minute (one event id per minute).
      const operator = await callerFor(c.users.OPERATOR.userId);
      const created = await operator.content.create({ title: "Mochila para notebook: review", baseCaption: "A mochila impermeável que aguenta chuva" });
      await operator.content.update({ id: created.id, baseCaption: "A mochila impermeável para notebook que aguenta chuva" });
      // (The queue key of an event's message is its id.)
      const pattern = `%search-index-content-${c.organizationId}-%`;
      const queued = await db.$queryRaw<{ n: number; later: boolean }[]>`
        SELECT count(*)::int AS n, bool_and(run_at > now()) AS later FROM graphile_worker.jobs WHERE key LIKE ${pattern}`;
      // One or, across a minute boundary, two messages; both due after the edits.
      expect(queued[0]!.n).toBeGreaterThanOrEqual(1);
      expect(queued[0]!.n).toBeLessThanOrEqual(2);
      expect(queued[0]!.later).toBe(true);
      // Edits within one minute share one event id: one message.
      const minute = Math.floor(Date.now() / 60_000) * 60_000 + 600_000;
      await contentTextChanged(tenantCtxOf(c, "OPERATOR"), minute + 1_000);
      await contentTextChanged(tenantCtxOf(c, "OPERATOR"), minute + 59_000);
      const bucketKey = `%search-index-content-${c.organizationId}-${minute / 60_000}%`;
      expect(await db.$queryRaw`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE key LIKE ${bucketKey}`).toEqual([{ n: 1 }]);
      await db.$queryRaw`SELECT graphile_worker.remove_job(key) FROM graphile_worker.jobs WHERE key LIKE ${pattern}`;
      // Not left for a later test file's runner.
      await db.$queryRaw`SELECT graphile_worker.remove_job(key) FROM graphile_worker.jobs WHERE key LIKE ${pattern}`;

      // An operator's "re-index now": runs again and finds nothing changed.
      expect(await (await callerFor(c.users.OPERATOR.userId)).search.reindex()).toEqual({ requested: true });
      while ((await db.jobRun.count({ where: { organizationId: c.organizationId, functionId: `${INNGEST_APP_ID}-search-index-embeddings`, status: "COMPLETED" } })) < 2) {
        if (Date.now() > deadline) throw new Error("the re-index run never completed");
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await runner.stop();
    }
  }, 40_000);
});
