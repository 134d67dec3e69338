import { z } from "zod";

import { ZId, ZPage, ZPageInput } from "../../schemas";

export const ZJobRunStatus = z.enum(["QUEUED", "RUNNING", "SLEEPING", "COMPLETED", "FAILED"]);

export const ZJobRunListInput = ZPageInput.extend({ status: ZJobRunStatus.optional() });

export const ZJobRun = z.object({
  id: ZId,
  functionSlug: z.string(),
  functionName: z.string(),
  status: ZJobRunStatus,
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  durationMs: z.number().int().nullable(),
  error: z.string().nullable(),
  createdAt: z.date(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
  nextAttemptAt: z.date().nullable(),
});

export const ZJobRunList = ZPage(ZJobRun).extend({
  mode: z.enum(["local", "inngest"]),
  dashboardUrl: z.string().nullable(),
});

export const ZJobRunRetryInput = z.object({ runId: ZId });
export const ZJobRunRetryOutput = z.object({ id: ZId, status: z.literal("QUEUED") });
