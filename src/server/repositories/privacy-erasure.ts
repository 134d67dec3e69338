/**
 * LGPD erasure: the queries behind services/privacy/erasure.ts. Account erasure rewrites one
 * person's rows everywhere (a person is not a tenant row); organization erasure takes its
 * organization id as a required argument and only ever touches that organization's rows.
 */
import type { DbOrTx, DbTx } from "~/server/db";

// ─── Account erasure ────────────────────────────────────────────────────────────────────────

/** Every organization (not already deleted) the person belongs to, with what the preview needs. */
export async function membershipsForErasure(db: DbOrTx, userId: string) {
  const rows = await db.membership.findMany({
    where: { userId, organization: { deletedAt: null } },
    select: {
      role: true,
      organization: {
        select: {
          id: true,
          name: true,
          _count: { select: { memberships: true } },
          memberships: { where: { role: "OWNER", userId: { not: userId } }, select: { id: true }, take: 1 },
        },
      },
    },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((r) => ({
    organizationId: r.organization.id,
    name: r.organization.name,
    role: r.role,
    members: r.organization._count.memberships,
    otherOwners: r.organization.memberships.length,
  }));
}

export function findUserForErasure(db: DbOrTx, userId: string) {
  return db.user.findFirst({ where: { id: userId, deletedAt: null, erasedAt: null }, select: { id: true, email: true } });
}

/** Locks the person's row: two erasures (two tabs) cannot interleave. */
export async function lockUser(tx: DbTx, userId: string) {
  await tx.$queryRaw`SELECT id FROM users WHERE id = ${userId} FOR UPDATE`;
}

/**
 * Replaces every personal field of the user row. The row itself stays so that what the person
 * authored in organizations (contents, approvals, audit entries) keeps a pseudonymous author.
 */
export function pseudonymiseUser(tx: DbOrTx, userId: string, data: { name: string; email: string; passwordHash: string; at: Date }) {
  return tx.user.update({
    where: { id: userId },
    data: {
      name: data.name,
      email: data.email,
      passwordHash: data.passwordHash,
      twoFactorSecretEnc: null,
      twoFactorEnabledAt: null,
      twoFactorLastStep: null,
      activeOrganizationId: null,
      isPlatformAdmin: false,
      passwordChangedAt: data.at,
      erasedAt: data.at,
    },
    select: { id: true },
  });
}

/** Second-factor recovery codes, notifications addressed to the person and their notification state: removed. */
export async function deletePersonalRows(tx: DbOrTx, userId: string) {
  const [codes, notifications] = await Promise.all([
    tx.recoveryCode.deleteMany({ where: { userId } }),
    tx.notification.deleteMany({ where: { userId } }),
    tx.notificationRead.deleteMany({ where: { userId } }),
    tx.notificationPreference.deleteMany({ where: { userId } }),
    tx.notificationEmail.deleteMany({ where: { userId } }),
  ]);
  return { recoveryCodes: codes.count, notifications: notifications.count };
}

/** Sessions are already revoked; their IP address and browser are the person's data. */
export function scrubSessions(tx: DbOrTx, userId: string) {
  return tx.userSession.updateMany({ where: { userId }, data: { ip: null, userAgent: null } }).then((r) => r.count);
}

/** Consent records keep what was agreed to and when (the organization's proof), not from where. */
export function scrubConsentRecords(tx: DbOrTx, userId: string) {
  return tx.consentRecord.updateMany({ where: { userId }, data: { ip: null, userAgent: null } }).then((r) => r.count);
}

/** API keys the person created act for nobody from now on. */
export function revokeApiKeysCreatedBy(tx: DbOrTx, userId: string, at: Date) {
  return tx.apiKey.updateMany({ where: { createdById: userId, revokedAt: null }, data: { revokedAt: at } }).then((r) => r.count);
}

/**
 * Invitations addressed to the person's e-mail: the address is replaced, and pending ones are
 * revoked (a new person signing up later with that address must not inherit them).
 */
export async function pseudonymiseInvitationsTo(tx: DbOrTx, email: string, erasedEmail: string, at: Date) {
  await tx.invitation.updateMany({ where: { email, acceptedAt: null, revokedAt: null }, data: { revokedAt: at } });
  return tx.invitation.updateMany({ where: { email }, data: { email: erasedEmail } }).then((r) => r.count);
}

/**
 * Audit entries that name the person's address in their details (an invitation sent to them):
 * the address becomes the pseudonym, the entry stays. Exact text replacement inside the JSON (the
 * pseudonym has no character JSON would escape). The caller must have called
 * allowAuditMaintenance(tx): audit rows are otherwise append-only.
 */
export function pseudonymiseAuditMetadata(tx: DbOrTx, email: string, erasedEmail: string) {
  return tx.$executeRaw`
    UPDATE audit_logs SET metadata = replace(metadata::text, ${email}, ${erasedEmail})::jsonb
    WHERE strpos(metadata::text, ${email}) > 0`;
}

export function deleteMembershipsOf(tx: DbOrTx, userId: string, organizationIds: string[]) {
  return tx.membership.deleteMany({ where: { userId, organizationId: { in: organizationIds } } }).then((r) => r.count);
}

// ─── Organization erasure ───────────────────────────────────────────────────────────────────

/** The organization, locked, when it still exists and has not been erased already. */
export async function lockOrganizationForErasure(tx: DbTx, organizationId: string) {
  const rows = await tx.$queryRaw<{ id: string; name: string }[]>`
    SELECT id, name FROM organizations WHERE id = ${organizationId} AND deleted_at IS NULL FOR UPDATE`;
  return rows[0] ?? null;
}

/** From now on nobody opens it: every membership and tenant lookup skips deleted organizations. */
export function markOrganizationErased(tx: DbOrTx, organizationId: string, userId: string, at: Date) {
  return tx.organization.update({
    where: { id: organizationId },
    data: { deletedAt: at, erasureRequestedAt: at, erasureRequestedById: userId },
    select: { id: true },
  });
}

/**
 * Cuts every credential that acts for or on the organization: provider tokens (deleted), API keys
 * (revoked), webhook endpoints (disabled, pending deliveries stopped), pending invitations
 * (revoked). Returns the counts for the audit entry.
 */
export async function cutOrganizationCredentials(tx: DbOrTx, organizationId: string, at: Date) {
  const connections = await tx.connection.updateMany({
    where: { organizationId },
    data: { accessTokenEnc: null, refreshTokenEnc: null, expiresAt: null, refreshExpiresAt: null, status: "DISCONNECTED", blockedUntil: null },
  });
  const apiKeys = await tx.apiKey.updateMany({ where: { organizationId, revokedAt: null }, data: { revokedAt: at } });
  const endpoints = await tx.webhookEndpoint.updateMany({
    where: { organizationId, enabled: true },
    data: { enabled: false, disabledAt: at, disabledReason: "organizationErased" },
  });
  await tx.webhookDelivery.updateMany({
    where: { organizationId, status: "PENDING" },
    data: { status: "FAILED", lastError: "The organization was erased." },
  });
  const invitations = await tx.invitation.updateMany({ where: { organizationId, acceptedAt: null, revokedAt: null }, data: { revokedAt: at } });
  // Whoever had it open falls back to another organization at the next request (resolveTenant).
  await tx.user.updateMany({ where: { activeOrganizationId: organizationId }, data: { activeOrganizationId: null } });
  return { connections: connections.count, apiKeys: apiKeys.count, webhookEndpoints: endpoints.count, invitations: invitations.count };
}

/** The organization's erasure request, even once deleted (the background function reads it). */
export function findErasureRequest(db: DbOrTx, organizationId: string) {
  return db.organization.findUnique({
    where: { id: organizationId },
    select: { id: true, erasureRequestedAt: true, erasureRequestedById: true },
  });
}

/** The Stripe subscription to cancel, if the organization has one. */
export function findStripeSubscription(db: DbOrTx, organizationId: string) {
  return db.subscription.findUnique({ where: { organizationId }, select: { status: true, stripeSubscriptionId: true } });
}

/** Every stored media object of the organization (soft-deleted rows included). */
export async function listMediaKeys(db: DbOrTx, organizationId: string): Promise<string[]> {
  const rows = await db.media.findMany({ where: { organizationId }, select: { storageKey: true, thumbnailKey: true } });
  return [...new Set(rows.flatMap((r) => (r.thumbnailKey ? [r.storageKey, r.thumbnailKey] : [r.storageKey])))];
}

/**
 * Deletes the organization row; every table holding organization_id references it ON DELETE
 * CASCADE, so all its rows go in the same statement. The caller must have called
 * allowAuditMaintenance(tx) (its audit rows go too).
 */
export function deleteOrganizationRow(tx: DbOrTx, organizationId: string) {
  return tx.organization.deleteMany({ where: { id: organizationId, erasureRequestedAt: { not: null } } }).then((r) => r.count);
}

/** Rows left per table with an organization_id column (what the erasure test counts). */
export async function countRowsOfOrganization(db: DbOrTx, organizationId: string): Promise<Record<string, number>> {
  const tables = await db.$queryRaw<{ table_name: string }[]>`
    SELECT table_name FROM information_schema.columns
    WHERE table_schema = 'public' AND column_name = 'organization_id'
    ORDER BY table_name`;
  const counts: Record<string, number> = {};
  for (const { table_name } of tables) {
    // The table name comes from the catalog, never from a caller; quoted as an identifier.
    const [row] = await db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM "${table_name.replaceAll('"', '""')}" WHERE organization_id = $1`, organizationId);
    counts[table_name] = row?.n ?? 0;
  }
  return counts;
}
