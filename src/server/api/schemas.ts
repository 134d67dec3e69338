import { z } from "zod";

import { MAX_PAGE_SIZE } from "~/server/repositories/pagination";

/** Shared building blocks for procedure schemas (Z prefix = schema, T prefix = inferred type). */
export const ZId = z.string().trim().min(1).max(64);
export const ZRole = z.enum(["OWNER", "MANAGER", "OPERATOR", "VIEWER"]);
export const ZLocale = z.enum(["pt-BR", "en"]);
export const ZEmail = z.string().trim().toLowerCase().max(254).pipe(z.email());
export const ZPersonName = z.string().trim().min(2).max(80);
export const ZOrganizationName = z.string().trim().min(2).max(80);

/**
 * A date and time taken as input. PostgreSQL stores JavaScript's extreme dates (up to year 275760)
 * but they read back as Invalid Date, which broke every later read of the row: inputs stay in
 * years 1970–9999.
 */
export const ZInstant = z
  .date()
  .min(new Date("1970-01-01T00:00:00.000Z"), { error: "date before 1970" })
  .max(new Date("9999-12-31T23:59:59.999Z"), { error: "date after 9999" });

export const ZPageInput = z.object({
  limit: z.number().int().min(1).max(MAX_PAGE_SIZE).default(25),
  cursor: ZId.optional(),
});

export function ZPage<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const ZProvider = z.enum(["MERCADOLIVRE", "SHOPEE", "INSTAGRAM", "TIKTOK", "YOUTUBE"]);
