-- AlterTable
ALTER TABLE "organizations" ADD COLUMN     "suspended_at" TIMESTAMP(3),
ADD COLUMN     "suspended_reason" TEXT;

-- AlterTable
ALTER TABLE "subscriptions" ADD COLUMN     "last_stripe_event_at" TIMESTAMP(3),
ADD COLUMN     "past_due_since" TIMESTAMP(3),
ADD COLUMN     "test_mode" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "trial_ends_at" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "invoices" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "stripe_invoice_id" TEXT,
    "number" TEXT,
    "status" TEXT NOT NULL,
    "amount_due_cents" INTEGER NOT NULL,
    "amount_paid_cents" INTEGER NOT NULL DEFAULT 0,
    "currency" TEXT NOT NULL DEFAULT 'BRL',
    "description" TEXT,
    "period_start" TIMESTAMP(3),
    "period_end" TIMESTAMP(3),
    "hosted_invoice_url" TEXT,
    "invoice_pdf_url" TEXT,
    "test_mode" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "invoices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "feature_flags" (
    "key" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "feature_flags_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "feature_flag_overrides" (
    "key" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "feature_flag_overrides_pkey" PRIMARY KEY ("key","organization_id")
);

-- CreateTable
CREATE TABLE "platform_settings" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updated_by_id" TEXT,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "platform_settings_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "invoices_stripe_invoice_id_key" ON "invoices"("stripe_invoice_id");

-- CreateIndex
CREATE INDEX "invoices_organization_id_created_at_idx" ON "invoices"("organization_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "feature_flag_overrides_organization_id_idx" ON "feature_flag_overrides"("organization_id");

-- AddForeignKey
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "feature_flag_overrides" ADD CONSTRAINT "feature_flag_overrides_key_fkey" FOREIGN KEY ("key") REFERENCES "feature_flags"("key") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "feature_flag_overrides" ADD CONSTRAINT "feature_flag_overrides_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- The plans every installation starts with (platform admins edit them in the app; the seed only
-- creates missing ones). Limits: see src/server/billing/plans.ts.
INSERT INTO "plans" ("id", "code", "name", "price_monthly_cents", "price_yearly_cents", "currency", "limits", "sort_order", "updated_at") VALUES
  ('plan_gratis', 'gratis', 'Grátis', 0, 0, 'BRL', '{"marketplaceAccounts": 1, "listings": 200, "socialAccounts": 1, "postsPerMonth": 20, "aiCreditsPerMonth": 50, "seats": 2}', 0, CURRENT_TIMESTAMP),
  ('plan_pro', 'pro', 'Pro', 14900, 149000, 'BRL', '{"marketplaceAccounts": 3, "listings": 5000, "socialAccounts": 5, "postsPerMonth": 300, "aiCreditsPerMonth": 1000, "seats": 10}', 1, CURRENT_TIMESTAMP),
  ('plan_agencia', 'agencia', 'Agência', 49900, 499000, 'BRL', '{"marketplaceAccounts": 20, "listings": 100000, "socialAccounts": 40, "postsPerMonth": 3000, "aiCreditsPerMonth": 10000, "seats": 50}', 2, CURRENT_TIMESTAMP)
ON CONFLICT ("code") DO NOTHING;
