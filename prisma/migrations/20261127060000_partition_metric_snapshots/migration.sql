-- Monthly RANGE partitions on "date" for the three metric snapshot tables (issue 11, item 6).
-- PostgreSQL cannot turn a table into a partitioned one in place, so each table is rebuilt: a new
-- partitioned table, one partition per month that has rows and per month from 12 months ago to 3 ahead,
-- a DEFAULT partition (so an insert for a month nobody created yet is never lost), the rows copied,
-- the old table dropped and the new one renamed. Runs in the migration's transaction: all or nothing.
-- A partitioned table's primary key must contain the partition key, hence PRIMARY KEY (id, date).
-- Prisma's schema cannot express partitioning: see docs/partitioning.md (drift, adding partitions).
-- New months are created ahead of time by the daily "metric-partitions" function.

CREATE FUNCTION "metric_partitions_rebuild"(tbl text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  m date;
BEGIN
  EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS) PARTITION BY RANGE ("date")', tbl || '_new', tbl);
  FOR m IN EXECUTE format(
    'SELECT DISTINCT date_trunc(''month'', "date"::timestamp)::date FROM %I
     UNION SELECT (date_trunc(''month'', now() AT TIME ZONE ''UTC'') + make_interval(months => g))::date FROM generate_series(-12, 3) g
     ORDER BY 1', tbl)
  LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
      tbl || '_p' || to_char(m, 'YYYY_MM'), tbl || '_new', m, (m + interval '1 month')::date);
  END LOOP;
  EXECUTE format('CREATE TABLE %I PARTITION OF %I DEFAULT', tbl || '_default', tbl || '_new');
  EXECUTE format('INSERT INTO %I SELECT * FROM %I', tbl || '_new', tbl);
  EXECUTE format('DROP TABLE %I', tbl);
  EXECUTE format('ALTER TABLE %I RENAME TO %I', tbl || '_new', tbl);
END
$$;

SELECT "metric_partitions_rebuild"('listing_metric_snapshots');
SELECT "metric_partitions_rebuild"('content_metric_snapshots');
SELECT "metric_partitions_rebuild"('social_account_metric_snapshots');

DROP FUNCTION "metric_partitions_rebuild"(text);

-- Same names as before, so Prisma sees the constraints it expects; indexes on the parent are
-- created on every partition, present and future.
ALTER TABLE "listing_metric_snapshots" ADD CONSTRAINT "listing_metric_snapshots_pkey" PRIMARY KEY ("id", "date");
CREATE UNIQUE INDEX "listing_metric_snapshots_organization_id_listing_id_date_key" ON "listing_metric_snapshots"("organization_id", "listing_id", "date");
ALTER TABLE "listing_metric_snapshots" ADD CONSTRAINT "listing_metric_snapshots_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "listing_metric_snapshots" ADD CONSTRAINT "listing_metric_snapshots_listing_id_fkey" FOREIGN KEY ("listing_id") REFERENCES "listings"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "content_metric_snapshots" ADD CONSTRAINT "content_metric_snapshots_pkey" PRIMARY KEY ("id", "date");
CREATE UNIQUE INDEX "content_metric_snapshots_organization_id_publication_id_dat_key" ON "content_metric_snapshots"("organization_id", "publication_id", "date");
ALTER TABLE "content_metric_snapshots" ADD CONSTRAINT "content_metric_snapshots_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "content_metric_snapshots" ADD CONSTRAINT "content_metric_snapshots_publication_id_fkey" FOREIGN KEY ("publication_id") REFERENCES "publications"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "social_account_metric_snapshots" ADD CONSTRAINT "social_account_metric_snapshots_pkey" PRIMARY KEY ("id", "date");
CREATE UNIQUE INDEX "social_account_metric_snapshots_organization_id_connection__key" ON "social_account_metric_snapshots"("organization_id", "connection_id", "date");
ALTER TABLE "social_account_metric_snapshots" ADD CONSTRAINT "social_account_metric_snapshots_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "social_account_metric_snapshots" ADD CONSTRAINT "social_account_metric_snapshots_connection_id_fkey" FOREIGN KEY ("connection_id") REFERENCES "connections"("id") ON DELETE CASCADE ON UPDATE CASCADE;
