/**
 * The pgvector path: the embedded PostgreSQL (PGlite with @electric-sql/pglite-pgvector, as
 * `npm run dev` starts it) runs the semantic search migration, which installs the extension, and the
 * repository's `<=>` query returns the same order as the SQL fallback — on PGlite and on this
 * machine's PostgreSQL 15 — for the same embeddings.
 */
import fs from "node:fs";

import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { PrismaClient } from "~/generated/prisma/client";
import { localEmbedding } from "~/server/ai/local-embedding";
import { searchPath, searchSimilar, upsertEmbeddings, type SimilarityHit } from "~/server/repositories/embeddings";
import { textHash } from "~/server/services/search/indexing";

import { startEmbeddedPostgres, type EmbeddedPostgres } from "../../scripts/embedded-db";
import { createOrgFixture, db, type OrgFixture } from "./helpers/fixtures";

const MIGRATION = "prisma/migrations/20261127050000_semantic_search/migration.sql";
const MODEL = "local-hash-v1-256";
const TITLES = [
  "Tênis Corrida Masculino Leve Amortecimento Preto",
  "Tênis Casual Feminino Branco",
  "Tênis de Corrida Infantil Velcro",
  "Camiseta Dry Fit Corrida Masculina",
  "Panela de Pressão Inox 4,5 Litros",
  "Fone de Ouvido Bluetooth sem Fio",
  "Meia de Corrida Cano Curto Kit 3 Pares",
  "Garrafa Térmica Inox 1 Litro",
];
const QUERY = localEmbedding("tenis corrida masculino");

let embedded: EmbeddedPostgres;
let pglite: PrismaClient;
let fixture: OrgFixture;

const rows = (prefix: string) => TITLES.map((title, i) => ({ subjectId: `${prefix}-${i}`, textHash: textHash(title), vector: localEmbedding(title) }));
const order = (hits: SimilarityHit[]) => hits.map((h) => h.subjectId.split("-").pop());

beforeAll(async () => {
  embedded = await startEmbeddedPostgres({ dataDir: null, port: 0, log: () => {} });
  const raw = await embedded.getDb();
  // Only what the migration depends on: the organizations table its foreign key points at.
  await raw.exec(`CREATE TABLE organizations (id TEXT PRIMARY KEY); INSERT INTO organizations VALUES ('org-a'), ('org-b');`);
  await raw.exec(fs.readFileSync(MIGRATION, "utf8"));
  pglite = new PrismaClient({ adapter: new PrismaPg({ connectionString: embedded.url, max: 2 }) });
  await upsertEmbeddings(pglite, "org-a", "listing", MODEL, rows("a"));
  // Organization B has the very same titles: never in A's results.
  await upsertEmbeddings(pglite, "org-b", "listing", MODEL, rows("b"));

  fixture = await createOrgFixture("search-pgvector");
  await upsertEmbeddings(db, fixture.organizationId, "listing", MODEL, rows("pg"));
}, 60_000);

afterAll(async () => {
  await pglite?.$disconnect();
  await embedded?.stop();
});

describe("semantic search on PGlite with pgvector", () => {
  it("the migration installed pgvector and the repository picks the pgvector path", async () => {
    const installed = await pglite.$queryRaw<{ extname: string }[]>`SELECT extname FROM pg_extension WHERE extname = 'vector'`;
    expect(installed).toHaveLength(1);
    expect(await searchPath(pglite)).toBe("pgvector");
  });

  it("returns the same order and scores as the SQL fallback, here and on PostgreSQL 15", async () => {
    const query = { model: MODEL, vector: QUERY, types: ["listing" as const], limit: TITLES.length };
    const viaVector = await searchSimilar(pglite, "org-a", { ...query, path: "pgvector" });
    const viaFallback = await searchSimilar(pglite, "org-a", { ...query, path: "fallback" });
    const onPostgres = await searchSimilar(db, fixture.organizationId, { ...query, path: "fallback" });

    expect(viaVector).toHaveLength(TITLES.length);
    expect(order(viaVector)[0]).toBe("0"); // the near-duplicate
    expect(order(viaVector)).toEqual(order(viaFallback));
    expect(order(viaVector)).toEqual(order(onPostgres));
    viaVector.forEach((hit, i) => {
      expect(hit.score).toBeCloseTo(viaFallback[i]!.score, 6);
      expect(hit.score).toBeCloseTo(onPostgres[i]!.score, 6);
    });
    expect(viaVector.every((h) => h.subjectId.startsWith("a-"))).toBe(true);
  });

  it("leaves out the excluded subject on the pgvector path too", async () => {
    const hits = await searchSimilar(pglite, "org-a", {
      model: MODEL,
      vector: localEmbedding(TITLES[0]!),
      types: ["listing"],
      limit: 3,
      exclude: { subjectType: "listing", subjectId: "a-0" },
    });
    expect(hits.map((h) => h.subjectId)).not.toContain("a-0");
    expect(hits).toHaveLength(3);
  });
});
