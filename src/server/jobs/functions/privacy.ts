import { cron } from "inngest";

import { db } from "~/server/db";
import { cancelErasedSubscription, deleteErasedOrganization, removeErasedMedia } from "~/server/services/privacy/erasure";
import { applyRetentionRule, auditRetention, RETENTION_RULES, type RetentionSummary } from "~/server/services/privacy/retention";
import { pruneRawArchive, removeErasedRawArchive } from "~/server/services/archive/archive";
import { inngest } from "../client";
import { organizationEraseRequested } from "../events";

/**
 * Daily at 07:00 UTC (after purge-soft-deleted): applies RETENTION_RULES, one step per rule so a
 * retry resumes at the rule that failed, then one system audit entry with the counts.
 */
export const privacyRetention = inngest.createFunction(
  { id: "privacy-retention", name: "privacy/retention", triggers: [cron("0 7 * * *")], concurrency: { limit: 1 }, retries: 3 },
  async ({ step }) => {
    const counts = {} as RetentionSummary;
    for (const rule of RETENTION_RULES) counts[rule.key] = await step.run(`retention-${rule.key}`, () => applyRetentionRule(db, rule));
    await step.run("audit", () => auditRetention(db, counts));
    // The raw archive follows each organization's own retention (settings.rawArchiveRetentionDays).
    const rawArchive = await step.run("retention-raw-archive", () => pruneRawArchive(db));
    return { ...counts, rawArchive };
  },
);

/**
 * LGPD organization erasure, after the owner's request closed the organization and cut its
 * credentials (services/privacy/erasure.ts): cancel the Stripe subscription, remove the media
 * objects, delete every row (one system audit entry stays). Each step is idempotent and checks
 * that the erasure is still pending, so a retried or re-sent event does nothing twice.
 */
export const privacyOrganizationErase = inngest.createFunction(
  {
    id: "privacy-organization-erase",
    name: "privacy/organization.erase",
    triggers: [organizationEraseRequested],
    concurrency: { limit: 1, key: "event.data.erasedOrganizationId" },
    retries: 5,
  },
  async ({ event, step }) => {
    const { erasedOrganizationId: organizationId, correlationId } = event.data;
    const subscription = await step.run("cancel-subscription", () => cancelErasedSubscription(db, organizationId));
    const media = await step.run("remove-media", () => removeErasedMedia(db, organizationId));
    await step.run("remove-raw-archive", () => removeErasedRawArchive(db, organizationId));
    const result = await step.run("delete-rows", () => deleteErasedOrganization(db, organizationId, { correlationId, mediaObjects: media.removed }));
    return { subscription, media, ...result };
  },
);

export const privacyFunctions = [privacyRetention, privacyOrganizationErase];
