-- Product telemetry: one row per feature use (ids and a feature name only; see docs/product-telemetry.md).
CREATE TABLE "product_events" (
    "id" BIGSERIAL NOT NULL,
    "organization_id" TEXT NOT NULL,
    "user_id" TEXT,
    "feature" TEXT NOT NULL,
    "occurred_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "product_events_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "product_events_organization_id_occurred_at_idx" ON "product_events"("organization_id", "occurred_at");
CREATE INDEX "product_events_occurred_at_idx" ON "product_events"("occurred_at");
CREATE INDEX "product_events_feature_occurred_at_idx" ON "product_events"("feature", "occurred_at");
CREATE INDEX "product_events_user_id_idx" ON "product_events"("user_id");

ALTER TABLE "product_events" ADD CONSTRAINT "product_events_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "product_events" ADD CONSTRAINT "product_events_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
