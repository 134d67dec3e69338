import { z } from "zod";

import { MAX_PAGE_SIZE } from "~/server/repositories/pagination";

/** Shared building blocks for procedure schemas (Z prefix = schema, T prefix = inferred type). */
export const ZId = z.string().trim().min(1).max(64);
export const ZRole = z.enum(["OWNER", "MANAGER", "OPERATOR", "VIEWER"]);
export const ZLocale = z.enum(["pt-BR", "en"]);
export const ZEmail = z.string().trim().toLowerCase().max(254).pipe(z.email());
export const ZPersonName = z.string().trim().min(2).max(80);
export const ZOrganizationName = z.string().trim().min(2).max(80);

export const ZPageInput = z.object({
  limit: z.number().int().min(1).max(MAX_PAGE_SIZE).default(25),
  cursor: ZId.optional(),
});

export function ZPage<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const ZProvider = z.enum(["MERCADOLIVRE", "SHOPEE", "INSTAGRAM", "TIKTOK", "YOUTUBE"]);
