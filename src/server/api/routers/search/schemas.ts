import { z } from "zod";

const ZSubjectType = z.enum(["listing", "content"]);

export const ZSimilarInput = z
  .object({
    query: z.string().trim().min(1).max(500).optional(),
    subject: z.object({ type: ZSubjectType, id: z.string().min(1).max(64) }).optional(),
    types: z.array(ZSubjectType).min(1).max(2).optional(),
    limit: z.number().int().min(1).max(50).default(20),
  })
  .refine((input) => (input.query === undefined) !== (input.subject === undefined), { message: "Give either a query or a subject" });

const ZListingPerformance = z.object({
  id: z.string(),
  title: z.string(),
  provider: z.string(),
  status: z.string(),
  priceCents: z.number().int(),
  thumbnailUrl: z.string().nullable(),
  soldQuantity: z.number().int(),
  healthScore: z.number().int().nullable(),
  visits30d: z.number().int(),
  sales30d: z.number().int(),
});

const ZContentPerformance = z.object({
  id: z.string(),
  title: z.string(),
  caption: z.string(),
  status: z.string(),
  publications: z.number().int(),
  views: z.number().int(),
  engagement: z.number().int(),
});

export const ZSimilarResult = z.object({
  items: z.array(
    z.discriminatedUnion("type", [
      z.object({ type: z.literal("listing"), id: z.string(), score: z.number(), listing: ZListingPerformance }),
      z.object({ type: z.literal("content"), id: z.string(), score: z.number(), content: ZContentPerformance }),
    ]),
  ),
  model: z.string(),
  path: z.enum(["pgvector", "fallback"]),
  indexed: z.object({ listing: z.number().int(), content: z.number().int() }),
  indexingRequested: z.boolean(),
});
