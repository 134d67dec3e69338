import type { DbOrTx } from "~/server/db";

/**
 * Everything stored about one person, for the LGPD data export (art. 18 II/V). Every query has an
 * explicit `select`: password hash, 2FA secret, recovery codes, key hashes and provider tokens are
 * never read here, so they cannot leak into the document.
 */
export async function collectPersonalData(db: DbOrTx, userId: string) {
  const [profile, memberships, sessions, consents, auditEntries, notifications, contents, reviewComments, publications, actionsApproved, actionsRejected, aiUsage, apiKeys, invitationsSent] =
    await Promise.all([
      db.user.findUniqueOrThrow({
        where: { id: userId },
        select: { id: true, email: true, name: true, locale: true, createdAt: true, updatedAt: true, passwordChangedAt: true, twoFactorEnabledAt: true, activeOrganizationId: true },
      }),
      db.membership.findMany({ where: { userId }, select: { organizationId: true, role: true, createdAt: true, organization: { select: { name: true, slug: true } } } }),
      db.userSession.findMany({
        where: { userId },
        select: { id: true, kind: true, ip: true, userAgent: true, createdAt: true, lastSeenAt: true, expiresAt: true, revokedAt: true, revokedReason: true },
        orderBy: { createdAt: "desc" },
      }),
      db.consentRecord.findMany({
        where: { userId },
        select: { organizationId: true, connectionId: true, provider: true, version: true, action: true, ip: true, userAgent: true, createdAt: true },
        orderBy: { createdAt: "desc" },
      }),
      db.auditLog.findMany({
        where: { actorUserId: userId },
        select: { organizationId: true, action: true, targetType: true, targetId: true, ip: true, userAgent: true, createdAt: true },
        orderBy: { createdAt: "desc" },
      }),
      db.notification.findMany({ where: { userId }, select: { organizationId: true, kind: true, params: true, link: true, createdAt: true, reads: { where: { userId }, select: { readAt: true } } } }),
      db.content.findMany({ where: { createdById: userId }, select: { id: true, organizationId: true, title: true, baseCaption: true, status: true, createdAt: true } }),
      db.contentReviewComment.findMany({ where: { authorId: userId }, select: { id: true, organizationId: true, contentId: true, body: true, createdAt: true } }),
      db.publication.findMany({ where: { createdById: userId }, select: { id: true, organizationId: true, createdAt: true } }),
      db.action.findMany({ where: { approvedById: userId }, select: { id: true, organizationId: true, type: true, status: true, approvedAt: true } }),
      db.action.findMany({ where: { rejectedById: userId }, select: { id: true, organizationId: true, type: true, status: true, rejectedAt: true } }),
      db.aiUsage.findMany({ where: { userId }, select: { organizationId: true, feature: true, provider: true, model: true, promptTokens: true, completionTokens: true, credits: true, outcome: true, createdAt: true } }),
      db.apiKey.findMany({
        where: { createdById: userId },
        select: { id: true, organizationId: true, name: true, prefix: true, scopes: true, createdAt: true, expiresAt: true, lastUsedAt: true, revokedAt: true },
      }),
      // Not the invitee's e-mail: that is someone else's personal data.
      db.invitation.findMany({ where: { invitedById: userId }, select: { organizationId: true, role: true, createdAt: true, acceptedAt: true, revokedAt: true } }),
    ]);
  return { profile, memberships, sessions, consents, auditEntries, notifications, contents, reviewComments, publications, actionsApproved, actionsRejected, aiUsage, apiKeys, invitationsSent };
}
