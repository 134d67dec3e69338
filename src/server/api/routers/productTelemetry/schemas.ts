import { z } from "zod";

export const ZProductTelemetrySettings = z.object({ enabled: z.boolean() });
export const ZSetProductTelemetryInput = z.object({ enabled: z.boolean() });
export const ZSetProductTelemetryOutput = z.object({ enabled: z.boolean(), deletedEvents: z.number().int() });

const ZCount = z.object({ organizations: z.number().int(), percent: z.number() });

export const ZProductDashboard = z.object({
  generatedAt: z.date(),
  activation: z.object({
    days: z.number().int(),
    since: z.date(),
    organizations: z.number().int(),
    milestones: z.array(ZCount.extend({ key: z.enum(["connected", "explored", "firstValue"]), features: z.array(z.string()) })),
    activated: ZCount,
  }),
  weeklyActive: z.array(z.object({ week: z.date(), organizations: z.number().int(), users: z.number().int() })),
  retention: z.array(z.object({ week: z.date(), organizations: z.number().int(), cells: z.array(ZCount.nullable()) })),
  features: z.object({
    days: z.number().int(),
    rows: z.array(z.object({ feature: z.string(), events: z.number().int(), organizations: z.number().int(), users: z.number().int() })),
  }),
});
