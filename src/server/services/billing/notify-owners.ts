import type { Prisma } from "~/generated/prisma/client";
import type { DbOrTx } from "~/server/db";
import { ownerUserIds } from "~/server/repositories/billing";
import { type NotificationKind, notify } from "../notifications/notify";

/** Billing news goes to the organization's owners (the only ones who can act on it). */
export async function notifyOwners(
  db: DbOrTx,
  organizationId: string,
  kind: NotificationKind,
  params: Prisma.InputJsonObject,
  options: { dedupe?: { key: string; withinMs: number }; now?: Date } = {},
) {
  for (const userId of await ownerUserIds(db, organizationId)) {
    await notify(db, { organizationId, userId, kind, params, link: "/settings/billing", dedupe: options.dedupe }, options.now);
  }
}
