import type { DbOrTx } from "~/server/db";
import type { Provider } from "~/generated/prisma/enums";
import { paginate } from "./pagination";

export function listListings(
  db: DbOrTx,
  organizationId: string,
  page: { limit: number; cursor?: string; provider?: Provider; search?: string },
) {
  return db.listing
    .findMany({
      where: {
        organizationId,
        deletedAt: null,
        ...(page.provider ? { provider: page.provider } : {}),
        ...(page.search ? { title: { contains: page.search, mode: "insensitive" as const } } : {}),
      },
      select: {
        id: true,
        provider: true,
        externalId: true,
        title: true,
        status: true,
        priceCents: true,
        currency: true,
        stock: true,
        healthScore: true,
        thumbnailUrl: true,
      },
      orderBy: { id: "asc" },
      take: page.limit + 1,
      ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
    })
    .then((rows) => paginate(rows, page.limit));
}

/** Listings per health band (null score = not scored yet). */
export async function healthBandCounts(db: DbOrTx, organizationId: string) {
  const where = { organizationId, deletedAt: null };
  const [poor, fair, good, unscored] = await Promise.all([
    db.listing.count({ where: { ...where, healthScore: { lt: 40 } } }),
    db.listing.count({ where: { ...where, healthScore: { gte: 40, lt: 70 } } }),
    db.listing.count({ where: { ...where, healthScore: { gte: 70 } } }),
    db.listing.count({ where: { ...where, healthScore: null } }),
  ]);
  return { poor, fair, good, unscored };
}
