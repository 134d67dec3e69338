-- A claimed e-mail is settled once the SMTP server took it (or it was logged). An unsettled claim
-- older than the lease belongs to a process that died mid-send: the retry takes it over, so a crash
-- can repeat an e-mail but never lose one. Existing claims were all settled or abandoned long ago.
ALTER TABLE "notification_emails" ADD COLUMN "settled_at" TIMESTAMP(3);
UPDATE "notification_emails" SET "settled_at" = "claimed_at";
