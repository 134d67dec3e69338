-- Semantic search (issue 11 item 5): one embedding per organization, subject and model.
-- The vector is always a plain double precision[] so the same table works on PostgreSQL without
-- pgvector (Debian's PostgreSQL 15, CI); where the extension is available (the embedded PGlite
-- with @electric-sql/pglite-pgvector, a managed PostgreSQL) it is installed and searches cast the
-- array to `vector` and use its `<=>` operator (src/server/repositories/embeddings.ts).
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') THEN
    CREATE EXTENSION IF NOT EXISTS vector;
  END IF;
EXCEPTION WHEN insufficient_privilege THEN
  -- A managed database may list the extension without letting this role create it: search falls back.
  RAISE NOTICE 'pgvector available but not installable by this role; semantic search uses the SQL fallback';
END
$$;

CREATE TABLE "embeddings" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "subject_type" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "dims" INTEGER NOT NULL,
    "text_hash" TEXT NOT NULL,
    "vector" DOUBLE PRECISION[] NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "embeddings_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "embeddings_subject_type_check" CHECK ("subject_type" IN ('listing', 'content')),
    CONSTRAINT "embeddings_dims_check" CHECK (cardinality("vector") = "dims")
);

CREATE UNIQUE INDEX "embeddings_organization_id_subject_type_subject_id_model_key" ON "embeddings"("organization_id", "subject_type", "subject_id", "model");
CREATE INDEX "embeddings_organization_id_model_subject_type_idx" ON "embeddings"("organization_id", "model", "subject_type");

ALTER TABLE "embeddings" ADD CONSTRAINT "embeddings_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
