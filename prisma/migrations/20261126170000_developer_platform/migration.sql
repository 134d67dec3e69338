
-- AlterTable
ALTER TABLE "api_keys" ADD COLUMN     "last_used_ip" TEXT;

-- AlterTable
ALTER TABLE "webhook_deliveries" ADD COLUMN     "event_id" TEXT NOT NULL,
ADD COLUMN     "last_attempt_at" TIMESTAMP(3),
ADD COLUMN     "replay_of_id" TEXT;

-- AlterTable
ALTER TABLE "webhook_endpoints" ADD COLUMN     "created_by_id" TEXT,
ADD COLUMN     "description" TEXT,
ADD COLUMN     "disabled_reason" TEXT,
ADD COLUMN     "secret_hint" TEXT NOT NULL DEFAULT '';

-- CreateIndex
CREATE INDEX "webhook_deliveries_status_next_attempt_at_idx" ON "webhook_deliveries"("status", "next_attempt_at");

