import type { ConsentAction, Provider } from "~/generated/prisma/client";
import type { DbOrTx } from "~/server/db";
import { paginate } from "./pagination";

/** One LGPD consent event (granted on connect, withdrawn on disconnect); rows are never edited. */
export function createConsentRecord(
  db: DbOrTx,
  organizationId: string,
  data: { userId: string | null; connectionId: string; provider: Provider; version: string; action: ConsentAction; ip?: string | null; userAgent?: string | null },
) {
  return db.consentRecord.create({ data: { organizationId, ...data, ip: data.ip ?? null, userAgent: data.userAgent ?? null }, select: { id: true } });
}

/** The organization's consent history, newest first; who is the person's name (or null once erased). */
export function listConsentRecords(db: DbOrTx, organizationId: string, page: { limit: number; cursor?: string }) {
  return db.consentRecord
    .findMany({
      where: { organizationId },
      select: {
        id: true,
        provider: true,
        version: true,
        action: true,
        connectionId: true,
        createdAt: true,
        user: { select: { id: true, name: true, erasedAt: true } },
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: page.limit + 1,
      ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
    })
    .then((rows) => paginate(rows, page.limit));
}

export async function consentRecordInOrganization(db: DbOrTx, organizationId: string, id: string) {
  return (await db.consentRecord.count({ where: { id, organizationId } })) === 1;
}
