import type { DbOrTx } from "~/server/db";
import { paginate } from "./pagination";

export function listContents(db: DbOrTx, organizationId: string, page: { limit: number; cursor?: string }) {
  return db.content
    .findMany({
      where: { organizationId, deletedAt: null },
      select: {
        id: true,
        title: true,
        status: true,
        createdAt: true,
        campaign: { select: { id: true, name: true } },
        variants: { select: { network: true } },
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: page.limit + 1,
      ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
    })
    .then((rows) => paginate(rows, page.limit));
}
