-- First UTC day whose daily sales are known (see schema.prisma): new rows default to the day they
-- are first ingested; a backfill from the orders API moves it earlier.
ALTER TABLE "listings" ADD COLUMN     "sales_since" DATE DEFAULT ((now() AT TIME ZONE 'UTC'))::date;

-- Existing listings: their sales are known since their first ingestion.
UPDATE "listings" SET "sales_since" = ("created_at")::date;
