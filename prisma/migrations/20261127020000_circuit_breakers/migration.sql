-- Circuit breakers per provider and per connection (issue 11, docs/resilience.md).
CREATE TABLE "provider_circuits" (
    "scope_key" TEXT NOT NULL,
    "provider" "Provider" NOT NULL,
    "connection_id" TEXT,
    "organization_id" TEXT,
    "state" TEXT NOT NULL DEFAULT 'CLOSED',
    "failures" INTEGER NOT NULL DEFAULT 0,
    "opened_count" INTEGER NOT NULL DEFAULT 0,
    "opened_at" TIMESTAMP(3),
    "reopen_at" TIMESTAMP(3),
    "probe_until" TIMESTAMP(3),
    "last_error_code" TEXT,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "provider_circuits_pkey" PRIMARY KEY ("scope_key"),
    CONSTRAINT "provider_circuits_state_check" CHECK ("state" IN ('CLOSED', 'OPEN', 'HALF_OPEN'))
);

CREATE INDEX "provider_circuits_organization_id_idx" ON "provider_circuits"("organization_id");
