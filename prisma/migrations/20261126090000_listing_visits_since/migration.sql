-- First UTC day whose daily visits are known (see schema.prisma).
ALTER TABLE "listings" ADD COLUMN     "visits_since" DATE;

-- Existing listings: visits are known from their oldest snapshot on.
UPDATE "listings" l SET "visits_since" = s.first_day
FROM (SELECT listing_id, min(date) AS first_day FROM listing_metric_snapshots GROUP BY listing_id) s
WHERE s.listing_id = l.id;
