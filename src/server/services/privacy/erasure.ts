/**
 * LGPD erasure (art. 18, VI): a person erases their account, an owner erases their organization.
 *
 * Account: refused while the person is the last owner of an organization that has other members
 * (ownership must be transferred, or the organization erased, first). Organizations where they are
 * the only member are erased with them. In one transaction: every personal field of the user row
 * is replaced (name, e-mail → `erased+<id>@invalid`, password hash, second factor), recovery codes
 * and their notifications are deleted, every session is revoked (Redis denylist too) and stripped of
 * IP and browser, API keys they created are revoked, invitations addressed to them lose the
 * address (so do audit entries naming it), memberships are removed, `erasedAt` is set. The row stays: what they authored for an
 * organization (contents, approvals, comments, audit entries) belongs to that organization and now
 * points at "Usuário removido". An erased account can never sign in again (its e-mail and password
 * are gone; findActiveUserById refuses it), and the old address can sign up as a new person.
 *
 * Organization: at once it is marked deleted (every tenant lookup skips it: members lose access at
 * their next request), provider tokens are deleted, API keys revoked, webhook endpoints disabled,
 * pending invitations revoked. Then `privacy/organization.erase` cancels the Stripe subscription,
 * removes the media objects from storage and deletes the organization row — every table holding
 * organization_id cascades from it, audit entries included — leaving one system audit entry (no
 * personal data: ids, dates and row counts) that it was erased, when and at whose request.
 *
 * Backups are not rewritten: erased data disappears from them as they expire (BACKUP_RETENTION_DAYS).
 */
import { getStripe, Stripe, withStripeErrors } from "~/server/billing/stripe";
import { hashPassword } from "~/server/auth/password";
import type { Db } from "~/server/db";
import { inngest } from "~/server/jobs/client";
import { organizationEraseRequested } from "~/server/jobs/events";
import { deleteProductEventsOfUser } from "~/server/repositories/product-events";
import { randomToken } from "~/server/lib/crypto";
import { AppError, notFound } from "~/server/lib/errors";
import { mediaStorage } from "~/server/media/storage";
import { allowAuditMaintenance } from "~/server/repositories/audit";
import {
  countRowsOfOrganization,
  cutOrganizationCredentials,
  deleteMembershipsOf,
  deleteOrganizationRow,
  deletePersonalRows,
  findErasureRequest,
  findStripeSubscription,
  findUserForErasure,
  listMediaKeys,
  lockOrganizationForErasure,
  lockUser,
  markOrganizationErased,
  membershipsForErasure,
  pseudonymiseAuditMetadata,
  pseudonymiseInvitationsTo,
  pseudonymiseUser,
  revokeApiKeysCreatedBy,
  scrubConsentRecords,
  scrubSessions,
} from "~/server/repositories/privacy-erasure";
import { normalizeEmail } from "~/server/repositories/users";
import type { DbTx } from "~/server/db";
import { revokeUserSessions } from "../accounts/sessions";
import { audit } from "../audit";
import type { RequestMeta, TenantCtx, UserCtx } from "../context";
import { ERASED_USER_NAME } from "./consents";

/**
 * Days automated database backups are kept in production (infra/database.ts,
 * `backupRetentionPeriod`; the erasure test checks the two agree). Erased data leaves the backups
 * when the last backup holding it expires.
 */
export const BACKUP_RETENTION_DAYS = 14;

export const ACCOUNT_ERASED_ACTION = "privacy.account_erased";
export const ORGANIZATION_ERASURE_REQUESTED_ACTION = "privacy.organization_erasure_requested";
export const ORGANIZATION_ERASED_ACTION = "privacy.organization_erased";

/** The address an erased account keeps: unique, and unroutable (RFC 6761 `.invalid`). */
export const erasedEmailOf = (userId: string) => `erased+${userId}@invalid`;

// ─── Account erasure ────────────────────────────────────────────────────────────────────────

type OrgRef = { organizationId: string; name: string };
export type AccountErasurePlan = {
  /** Organizations the person leaves; their data stays for the other members. */
  kept: (OrgRef & { role: string })[];
  /** Organizations where the person is the only member: erased with the account. */
  erased: OrgRef[];
  /** Organizations where the person is the last owner and others remain: erasure is refused. */
  blocking: (OrgRef & { members: number })[];
};

function planFor(rows: Awaited<ReturnType<typeof membershipsForErasure>>): AccountErasurePlan {
  const plan: AccountErasurePlan = { kept: [], erased: [], blocking: [] };
  for (const r of rows) {
    const ref = { organizationId: r.organizationId, name: r.name };
    if (r.members <= 1) plan.erased.push(ref);
    else if (r.role === "OWNER" && r.otherOwners === 0) plan.blocking.push({ ...ref, members: r.members });
    else plan.kept.push({ ...ref, role: r.role });
  }
  return plan;
}

/** What erasing the caller's account would do (the confirmation dialog shows it). */
export async function previewAccountErasure(ctx: UserCtx) {
  const user = await findUserForErasure(ctx.db, ctx.userId);
  if (!user) throw new AppError("UNAUTHORIZED", "signInRequired", "Sign in to continue");
  const plan = planFor(await membershipsForErasure(ctx.db, ctx.userId));
  return { email: user.email, ...plan, allowed: plan.blocking.length === 0, backupRetentionDays: BACKUP_RETENTION_DAYS };
}

function lastOwnerError(blocking: AccountErasurePlan["blocking"]) {
  return new AppError(
    "PRECONDITION_FAILED",
    "erasureLastOwner",
    "You are the last owner of an organization with other members: transfer ownership or erase the organization first",
    { organizations: blocking.map((o) => o.name).join(", ") },
  );
}

export async function eraseAccount(ctx: UserCtx, input: { confirmation: string }) {
  const user = await findUserForErasure(ctx.db, ctx.userId);
  if (!user) throw new AppError("UNAUTHORIZED", "signInRequired", "Sign in to continue");
  if (normalizeEmail(input.confirmation) !== user.email) {
    throw new AppError("BAD_REQUEST", "erasureConfirmationMismatch", "Type your e-mail address exactly to confirm");
  }
  const early = planFor(await membershipsForErasure(ctx.db, ctx.userId));
  if (early.blocking.length > 0) throw lastOwnerError(early.blocking);

  // Hashed before the transaction (bcrypt takes a while): a password nobody knows or could guess.
  const passwordHash = await hashPassword(randomToken(32));
  const at = new Date();
  const request: RequestMeta = { correlationId: ctx.request.correlationId };
  const erasedEmail = erasedEmailOf(ctx.userId);

  const plan = await ctx.db.$transaction(async (tx) => {
    await lockUser(tx, ctx.userId);
    // Re-read under the lock: a member may have left (or been promoted) since the check above.
    const plan = planFor(await membershipsForErasure(tx, ctx.userId));
    if (plan.blocking.length > 0) throw lastOwnerError(plan.blocking);
    for (const org of plan.erased) {
      if (await lockOrganizationForErasure(tx, org.organizationId)) await requestOrganizationErasure(tx, org.organizationId, ctx.userId, at, request);
    }
    await deleteMembershipsOf(tx, ctx.userId, plan.kept.map((o) => o.organizationId));
    const invitations = await pseudonymiseInvitationsTo(tx, user.email, erasedEmail, at);
    await allowAuditMaintenance(tx);
    const auditEntries = await pseudonymiseAuditMetadata(tx, user.email, erasedEmail);
    const apiKeys = await revokeApiKeysCreatedBy(tx, ctx.userId, at);
    const removed = { ...(await deletePersonalRows(tx, ctx.userId)), productEvents: await deleteProductEventsOfUser(tx, ctx.userId) };
    await pseudonymiseUser(tx, ctx.userId, { name: ERASED_USER_NAME, email: erasedEmail, passwordHash, at });
    const sessions = await revokeUserSessions(tx, ctx.userId, "accountErased");
    await scrubSessions(tx, ctx.userId);
    await scrubConsentRecords(tx, ctx.userId);
    // The organizations the person leaves see it in their own audit log; the system entry is the
    // account's own trace. Neither carries the request's IP or browser: they are the person's data.
    for (const org of plan.kept) {
      await audit(tx, { organizationId: org.organizationId, userId: ctx.userId, request }, ACCOUNT_ERASED_ACTION, { type: "user", id: ctx.userId });
    }
    await audit(tx, { organizationId: null, userId: ctx.userId, request }, ACCOUNT_ERASED_ACTION, { type: "user", id: ctx.userId }, {
      organizationsLeft: plan.kept.map((o) => o.organizationId),
      organizationsErased: plan.erased.map((o) => o.organizationId),
      sessionsRevoked: sessions,
      apiKeysRevoked: apiKeys,
      invitations,
      auditEntriesPseudonymised: auditEntries,
      ...removed,
    });
    return plan;
  }, { timeout: 60_000, maxWait: 10_000 });

  for (const org of plan.erased) await sendEraseEvent(org.organizationId, ctx.userId, ctx.request.correlationId, ctx.log);
  ctx.log.info({ organizationsLeft: plan.kept.length, organizationsErased: plan.erased.length }, "account erased");
  return { erased: true as const, organizationsLeft: plan.kept.length, organizationsErased: plan.erased.length };
}

// ─── Organization erasure ───────────────────────────────────────────────────────────────────

/** Marks the (locked) organization erased and cuts its credentials; audited in the organization. */
async function requestOrganizationErasure(tx: DbTx, organizationId: string, userId: string, at: Date, request: RequestMeta) {
  await markOrganizationErased(tx, organizationId, userId, at);
  const cut = await cutOrganizationCredentials(tx, organizationId, at);
  await audit(tx, { organizationId, userId, request }, ORGANIZATION_ERASURE_REQUESTED_ACTION, { type: "organization", id: organizationId }, cut);
  return cut;
}

async function sendEraseEvent(organizationId: string, userId: string, correlationId: string, log: UserCtx["log"]) {
  try {
    await inngest.send(organizationEraseRequested.create({ erasedOrganizationId: organizationId, userId, correlationId }, { id: `erase-organization-${organizationId}` }));
  } catch (error) {
    // The organization is already closed and its credentials cut. Should the event be lost, the
    // daily purge removes soft-deleted organizations after PURGE_AFTER_DAYS anyway.
    log.error({ err: error, organizationId }, "could not request the organization's erasure");
  }
}

/** The owner erases the active organization (typed confirmation: its name). */
export async function eraseOrganization(ctx: TenantCtx, input: { confirmation: string }) {
  const organizationId = ctx.tenant.organizationId;
  const at = new Date();
  await ctx.db.$transaction(async (tx) => {
    const org = await lockOrganizationForErasure(tx, organizationId);
    if (!org) throw notFound("Organization");
    if (input.confirmation.trim() !== org.name.trim()) {
      throw new AppError("BAD_REQUEST", "erasureConfirmationMismatch", "Type the organization's name exactly to confirm");
    }
    await requestOrganizationErasure(tx, organizationId, ctx.tenant.userId, at, ctx.request);
  });
  await sendEraseEvent(organizationId, ctx.tenant.userId, ctx.request.correlationId, ctx.log);
  ctx.log.info("organization erasure requested");
  return { erased: true as const, requestedAt: at, backupRetentionDays: BACKUP_RETENTION_DAYS };
}

// ─── The background part (privacy/organization.erase) ───────────────────────────────────────

/** null when there is nothing (more) to do: already gone, or erasure never requested. */
async function pendingErasure(db: Db, organizationId: string) {
  const row = await findErasureRequest(db, organizationId);
  return row?.erasureRequestedAt ? row : null;
}

const LIVE_SUBSCRIPTION = new Set(["ACTIVE", "TRIALING", "PAST_DUE", "INCOMPLETE"]);

/** Cancels the Stripe subscription at once (no further invoice). Test mode: nothing to cancel. */
export async function cancelErasedSubscription(db: Db, organizationId: string) {
  if (!(await pendingErasure(db, organizationId))) return { canceled: false, reason: "notPending" };
  const sub = await findStripeSubscription(db, organizationId);
  if (!sub?.stripeSubscriptionId || !LIVE_SUBSCRIPTION.has(sub.status)) return { canceled: false, reason: "noStripeSubscription" };
  const stripe = getStripe();
  if (!stripe) return { canceled: false, reason: "billingTestMode" };
  try {
    await withStripeErrors(() => stripe.subscriptions.cancel(sub.stripeSubscriptionId!, {}, { idempotencyKey: `erase-${organizationId}` }));
  } catch (error) {
    // Already canceled or deleted at Stripe: nothing left to stop.
    if (error instanceof Stripe.errors.StripeInvalidRequestError && error.code === "resource_missing") return { canceled: false, reason: "missingAtStripe" };
    throw error;
  }
  return { canceled: true };
}

/** Removes every media object (files and thumbnails) of the organization from storage. */
export async function removeErasedMedia(db: Db, organizationId: string) {
  if (!(await pendingErasure(db, organizationId))) return { removed: 0 };
  const keys = await listMediaKeys(db, organizationId);
  const storage = mediaStorage();
  // Keys of one organization start with its id; removing a missing object is not an error.
  for (const key of keys) await storage.remove(key);
  return { removed: keys.length };
}

/**
 * Deletes the organization and, by cascade, every row holding its id (audit entries included),
 * then writes the one system entry that remains: which organization, when requested and erased,
 * at whose request (a user id), how many rows per table went.
 */
export async function deleteErasedOrganization(db: Db, organizationId: string, opts: { correlationId?: string; mediaObjects?: number } = {}) {
  const pending = await pendingErasure(db, organizationId);
  if (!pending) return { deleted: false };
  return db.$transaction(
    async (tx) => {
      const counts = await countRowsOfOrganization(tx, organizationId);
      await allowAuditMaintenance(tx);
      const deleted = await deleteOrganizationRow(tx, organizationId);
      if (deleted === 0) return { deleted: false };
      const rows = Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
      await audit(
        tx,
        { organizationId: null, userId: pending.erasureRequestedById, request: opts.correlationId ? { correlationId: opts.correlationId } : undefined },
        ORGANIZATION_ERASED_ACTION,
        { type: "organization", id: organizationId },
        { requestedAt: pending.erasureRequestedAt!.toISOString(), erasedAt: new Date().toISOString(), rows, mediaObjects: opts.mediaObjects ?? 0 },
      );
      return { deleted: true, rows };
    },
    { timeout: 10 * 60_000, maxWait: 30_000 },
  );
}

/** The whole background part in one call (tests, scripts); the function runs it step by step. */
export async function completeOrganizationErasure(db: Db, organizationId: string, opts: { correlationId?: string } = {}) {
  const subscription = await cancelErasedSubscription(db, organizationId);
  const media = await removeErasedMedia(db, organizationId);
  const result = await deleteErasedOrganization(db, organizationId, { ...opts, mediaObjects: media.removed });
  return { subscription, media, ...result };
}

