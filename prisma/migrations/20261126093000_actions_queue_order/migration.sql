-- CreateIndex
CREATE INDEX "actions_organization_id_status_expected_gain_created_at_id_idx" ON "actions"("organization_id", "status", "expected_gain" DESC, "created_at" DESC, "id" DESC);

