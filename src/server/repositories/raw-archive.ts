import type { DbOrTx } from "~/server/db";

/** Our publication ids for the network's post ids of one account (the reprocess of post metrics). */
export async function publicationIdsByExternalId(db: DbOrTx, organizationId: string, connectionId: string, externalIds: string[]): Promise<Map<string, string>> {
  if (externalIds.length === 0) return new Map();
  const rows = await db.publication.findMany({
    where: { organizationId, connectionId, deletedAt: null, externalId: { in: externalIds } },
    select: { id: true, externalId: true },
  });
  return new Map(rows.map((r) => [r.externalId!, r.id]));
}

/** The organizations.settings JSON of these organizations (absent from the map: no such row). */
export async function organizationSettingsByIds(db: DbOrTx, organizationIds: string[]): Promise<Map<string, unknown>> {
  if (organizationIds.length === 0) return new Map();
  const rows = await db.organization.findMany({ where: { id: { in: organizationIds } }, select: { id: true, settings: true } });
  return new Map(rows.map((r) => [r.id, r.settings]));
}

/** Sets only the rawArchiveRetentionDays key (null removes it): other features keep their own settings. */
export function setRawArchiveRetentionSetting(db: DbOrTx, organizationId: string, days: number | null) {
  return days === null
    ? db.$executeRaw`UPDATE organizations SET settings = COALESCE(settings, '{}'::jsonb) - 'rawArchiveRetentionDays', updated_at = now() WHERE id = ${organizationId}`
    : db.$executeRaw`
        UPDATE organizations SET settings = jsonb_set(COALESCE(settings, '{}'::jsonb), '{rawArchiveRetentionDays}', ${JSON.stringify(days)}::jsonb), updated_at = now()
        WHERE id = ${organizationId}`;
}

/** When each of these listings was last stored by a sync (reprocessing never rewinds a newer one). */
export async function listingSyncTimes(db: DbOrTx, organizationId: string, connectionId: string, externalIds: string[]): Promise<Map<string, Date>> {
  if (externalIds.length === 0) return new Map();
  const rows = await db.listing.findMany({
    where: { organizationId, connectionId, externalId: { in: externalIds } },
    select: { externalId: true, syncedAt: true },
  });
  return new Map(rows.flatMap((r) => (r.syncedAt ? [[r.externalId, r.syncedAt] as const] : [])));
}
