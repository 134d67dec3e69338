-- CreateIndex
CREATE INDEX "listings_organization_id_created_at_id_idx" ON "listings"("organization_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "listings_organization_id_price_cents_id_idx" ON "listings"("organization_id", "price_cents", "id");
