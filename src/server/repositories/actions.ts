import type { DbOrTx } from "~/server/db";
import type { ActionStatus } from "~/generated/prisma/enums";
import { paginate } from "./pagination";

export function listActions(
  db: DbOrTx,
  organizationId: string,
  page: { limit: number; cursor?: string; status?: ActionStatus },
) {
  return db.action
    .findMany({
      where: { organizationId, ...(page.status ? { status: page.status } : {}) },
      select: {
        id: true,
        type: true,
        status: true,
        reason: true,
        expectedGain: true,
        createdAt: true,
        listing: { select: { id: true, title: true } },
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: page.limit + 1,
      ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
    })
    .then((rows) => paginate(rows, page.limit));
}
