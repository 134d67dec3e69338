-- CreateEnum
CREATE TYPE "SyncState" AS ENUM ('IDLE', 'RUNNING', 'COMPLETED', 'FAILED');

-- CreateTable
CREATE TABLE "connection_syncs" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "connection_id" TEXT NOT NULL,
    "state" "SyncState" NOT NULL DEFAULT 'IDLE',
    "mode" TEXT NOT NULL DEFAULT 'full',
    "generation" INTEGER NOT NULL DEFAULT 0,
    "cursor" TEXT,
    "pending_ids" TEXT[],
    "total" INTEGER,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "pages" INTEGER NOT NULL DEFAULT 0,
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),
    "last_error" TEXT,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "connection_syncs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "connection_syncs_connection_id_key" ON "connection_syncs"("connection_id");

-- CreateIndex
CREATE INDEX "connection_syncs_organization_id_idx" ON "connection_syncs"("organization_id");

-- AddForeignKey
ALTER TABLE "connection_syncs" ADD CONSTRAINT "connection_syncs_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "connection_syncs" ADD CONSTRAINT "connection_syncs_connection_id_fkey" FOREIGN KEY ("connection_id") REFERENCES "connections"("id") ON DELETE CASCADE ON UPDATE CASCADE;
