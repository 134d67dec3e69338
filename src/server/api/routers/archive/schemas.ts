import { z } from "zod";

import { ZId } from "../../schemas";

const ZDay = z.iso.date();

export const ZArchiveListInput = z.object({ from: ZDay.optional(), to: ZDay.optional() }).optional();

export const ZArchiveList = z.object({
  partitions: z.array(
    z.object({
      provider: z.string(),
      date: ZDay,
      kind: z.enum(["listings", "metrics", "sales", "signals"]),
      objects: z.number().int(),
      bytes: z.number().int(),
    }),
  ),
  totalBytes: z.number().int(),
  retentionDays: z.number().int(),
  storage: z.enum(["local", "s3"]),
  enabled: z.boolean(),
});

export const ZArchiveReprocessInput = z.object({
  kind: z.enum(["listings", "metrics"]),
  connectionId: ZId.optional(),
  from: ZDay,
  to: ZDay,
});
export const ZArchiveReprocessOutput = z.object({ queued: z.literal(true) });

/** null = back to the server's default (RAW_ARCHIVE_RETENTION_DAYS). */
export const ZArchiveRetentionInput = z.object({ days: z.number().int().min(1).max(3650).nullable() });
export const ZArchiveRetentionOutput = z.object({ retentionDays: z.number().int() });
