import { cron } from "inngest";

import { db } from "~/server/db";
import { applyRetentionRule, auditRetention, RETENTION_RULES, type RetentionSummary } from "~/server/services/privacy/retention";
import { inngest } from "../client";

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
    return counts;
  },
);

export const privacyFunctions = [privacyRetention];
