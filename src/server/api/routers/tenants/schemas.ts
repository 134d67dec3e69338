import { z } from "zod";

import { ZEmail, ZId, ZLocale, ZOrganizationName, ZRole } from "../../schemas";

export const ZOrganizationSummary = z.object({
  id: ZId,
  name: z.string(),
  slug: z.string(),
  role: ZRole,
  active: z.boolean(),
});

export const ZOrganization = z.object({
  id: ZId,
  name: z.string(),
  slug: z.string(),
  timeZone: z.string(),
  locale: z.string(),
  status: z.enum(["ACTIVE", "SUSPENDED"]),
  createdAt: z.date(),
});

export const ZCreateOrganizationInput = z.object({ name: ZOrganizationName });
export const ZSwitchOrganizationInput = z.object({ organizationId: ZId });
export const ZSwitchOrganizationOutput = z.object({ organizationId: ZId, role: ZRole });

export const ZCurrentOrganizationOutput = z.object({
  organization: ZOrganization,
  role: ZRole,
  permissions: z.array(z.string()),
});

const ZTimeZone = z
  .string()
  .max(64)
  .refine((tz) => Intl.supportedValuesOf("timeZone").includes(tz) || tz === "UTC", { message: "Unknown time zone" });

export const ZUpdateOrganizationInput = z
  .object({ name: ZOrganizationName.optional(), timeZone: ZTimeZone.optional(), locale: ZLocale.optional() })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: "Nothing to update" });

export const ZMember = z.object({
  id: ZId,
  role: ZRole,
  createdAt: z.date(),
  userId: ZId,
  user: z.object({ id: ZId, name: z.string(), email: z.string() }),
  isYou: z.boolean(),
});

export const ZChangeRoleInput = z.object({ membershipId: ZId, role: ZRole });
export const ZRemoveMemberInput = z.object({ membershipId: ZId });
export const ZRemovedOutput = z.object({ removed: z.literal(true) });

export const ZInvitation = z.object({
  id: ZId,
  email: z.string(),
  role: ZRole,
  expiresAt: z.date(),
  createdAt: z.date(),
  invitedBy: z.object({ name: z.string() }),
});

export const ZInviteInput = z.object({ email: ZEmail, role: ZRole });
// The token is returned exactly once, here; afterwards only its hash exists.
export const ZInviteOutput = ZInvitation.extend({ token: z.string(), path: z.string() });
export const ZRevokeInvitationInput = z.object({ invitationId: ZId });
export const ZRevokedOutput = z.object({ revoked: z.literal(true) });

export const ZInvitationToken = z.object({ token: z.string().trim().min(20).max(128) });
export const ZInvitationPreview = z.object({
  organizationName: z.string(),
  email: z.string(),
  role: ZRole,
  invitedByName: z.string(),
  expiresAt: z.date(),
  state: z.enum(["open", "accepted", "revoked", "expired"]),
});
export const ZAcceptInvitationOutput = z.object({ organizationId: ZId, role: ZRole });

const ZCalendarDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: "Expected YYYY-MM-DD" })
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), { message: "Not a calendar day" });

/** The audit page's filter: an action name or area ("member."), who, which days (organization's time zone), which target. */
export const ZAuditFilter = z.object({
  action: z.string().trim().max(64).optional(),
  actorUserId: ZId.optional(),
  targetId: z.string().trim().max(200).optional(),
  from: ZCalendarDay.optional(),
  to: ZCalendarDay.optional(),
});
export const ZAuditListInput = ZAuditFilter.extend({
  limit: z.number().int().min(1).max(100).default(50),
  cursor: ZId.optional(),
});
export const ZAuditFacets = z.object({
  actions: z.array(z.string()),
  actors: z.array(z.object({ id: ZId, name: z.string(), email: z.string() })),
});
export const ZAuditExportOutput = z.object({ fileName: z.string(), csv: z.string(), rows: z.number().int(), truncated: z.boolean() });
export const ZAuditEntry = z.object({
  id: ZId,
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  metadata: z.unknown(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  createdAt: z.date(),
  actor: z.object({ id: ZId, name: z.string(), email: z.string() }).nullable(),
  /** Read from the user agent: "Chrome 120", "Windows 10", "desktop" (nulls when unknown). */
  device: z.object({ browser: z.string().nullable(), os: z.string().nullable(), device: z.string().nullable() }),
});
