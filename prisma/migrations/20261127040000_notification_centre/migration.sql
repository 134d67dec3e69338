-- Notification centre (issue 11): read state per person, preferences, e-mail claims.

CREATE TABLE "notification_reads" (
    "notification_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "read_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "notification_reads_pkey" PRIMARY KEY ("notification_id", "user_id")
);
CREATE INDEX "notification_reads_user_id_idx" ON "notification_reads"("user_id");
ALTER TABLE "notification_reads" ADD CONSTRAINT "notification_reads_notification_id_fkey" FOREIGN KEY ("notification_id") REFERENCES "notifications"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "notification_reads" ADD CONSTRAINT "notification_reads_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The old single read_at moves to the new table. A row addressed to one person: read by them.
INSERT INTO "notification_reads" ("notification_id", "user_id", "read_at")
SELECT "id", "user_id", "read_at" FROM "notifications" WHERE "read_at" IS NOT NULL AND "user_id" IS NOT NULL;
-- A broadcast row someone read showed as read to every member: it stays read for each current
-- member, so nobody finds old news unread after the upgrade.
INSERT INTO "notification_reads" ("notification_id", "user_id", "read_at")
SELECT n."id", m."user_id", n."read_at"
FROM "notifications" n JOIN "memberships" m ON m."organization_id" = n."organization_id"
WHERE n."read_at" IS NOT NULL AND n."user_id" IS NULL
ON CONFLICT DO NOTHING;

ALTER TABLE "notifications" DROP COLUMN "read_at";

CREATE TABLE "notification_preferences" (
    "organization_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "in_app" BOOLEAN NOT NULL,
    "email" BOOLEAN NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "notification_preferences_pkey" PRIMARY KEY ("organization_id", "user_id", "category")
);
ALTER TABLE "notification_preferences" ADD CONSTRAINT "notification_preferences_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "notification_preferences" ADD CONSTRAINT "notification_preferences_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "notification_emails" (
    "notification_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "claimed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "notification_emails_pkey" PRIMARY KEY ("notification_id", "user_id")
);
ALTER TABLE "notification_emails" ADD CONSTRAINT "notification_emails_notification_id_fkey" FOREIGN KEY ("notification_id") REFERENCES "notifications"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "notification_emails" ADD CONSTRAINT "notification_emails_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
