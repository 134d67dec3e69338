-- AlterTable
ALTER TABLE "actions" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "edited_at" TIMESTAMP(3),
ADD COLUMN     "edited_by_id" TEXT,
ADD COLUMN     "failure_code" TEXT,
ADD COLUMN     "failure_reason" TEXT,
ADD COLUMN     "open_key" TEXT,
ADD COLUMN     "suggested_payload" JSONB;

-- AlterTable
ALTER TABLE "ai_usage" ADD COLUMN     "outcome" TEXT NOT NULL DEFAULT 'ok';

-- AlterTable
ALTER TABLE "listings" ADD COLUMN     "catalog_listing" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "description" TEXT,
ADD COLUMN     "has_variations" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "health_scored_at" TIMESTAMP(3),
ADD COLUMN     "market_signals_at" TIMESTAMP(3),
ADD COLUMN     "quality_level" TEXT,
ADD COLUMN     "quality_rules" JSONB,
ADD COLUMN     "quality_score" INTEGER,
ADD COLUMN     "suggested_price_cents" INTEGER,
ADD COLUMN     "tags" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "action_effects" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "action_id" TEXT NOT NULL,
    "type" "ActionType" NOT NULL,
    "horizon_days" INTEGER NOT NULL,
    "score_before" INTEGER,
    "score_after" INTEGER,
    "visits_per_day_before_100" INTEGER NOT NULL,
    "visits_per_day_after_100" INTEGER NOT NULL,
    "sales_per_day_before_100" INTEGER NOT NULL,
    "sales_per_day_after_100" INTEGER NOT NULL,
    "measured_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "action_effects_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "action_effects_organization_id_type_horizon_days_idx" ON "action_effects"("organization_id", "type", "horizon_days");

-- CreateIndex
CREATE UNIQUE INDEX "action_effects_action_id_horizon_days_key" ON "action_effects"("action_id", "horizon_days");

-- CreateIndex
CREATE INDEX "actions_organization_id_status_applied_at_idx" ON "actions"("organization_id", "status", "applied_at");

-- CreateIndex
CREATE UNIQUE INDEX "actions_organization_id_open_key_key" ON "actions"("organization_id", "open_key");

-- AddForeignKey
ALTER TABLE "action_effects" ADD CONSTRAINT "action_effects_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "action_effects" ADD CONSTRAINT "action_effects_action_id_fkey" FOREIGN KEY ("action_id") REFERENCES "actions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

