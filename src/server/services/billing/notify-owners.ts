import type { Prisma } from "~/generated/prisma/client";
import type { DbOrTx } from "~/server/db";
import { ownerUserIds } from "~/server/repositories/billing";
import { recentNotificationExists } from "~/server/repositories/notifications";
import { type NotificationKind, notify } from "../notifications/notify";

/**
 * Billing news goes to the organization's owners (the only ones who can act on it), one row each.
 * The dedupe check runs once for the organization, before any owner's row exists (notify's own
 * check would stop at the first owner's row).
 */
export async function notifyOwners(
  db: DbOrTx,
  organizationId: string,
  kind: NotificationKind,
  params: Prisma.InputJsonObject,
  options: { dedupe?: { key: string; withinMs: number }; now?: Date } = {},
) {
  const now = options.now ?? new Date();
  if (options.dedupe) {
    const subject = params[options.dedupe.key];
    if (typeof subject === "string" && (await recentNotificationExists(db, organizationId, kind, options.dedupe.key, subject, new Date(now.getTime() - options.dedupe.withinMs)))) {
      return 0;
    }
  }
  const owners = await ownerUserIds(db, organizationId);
  for (const userId of owners) await notify(db, { organizationId, userId, kind, params, link: "/settings/billing" }, now);
  return owners.length;
}
