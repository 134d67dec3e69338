import { z } from "zod";

import * as auditLog from "~/server/services/tenants/audit-log";
import * as tenants from "~/server/services/tenants/tenants";
import { createTRPCRouter, protectedProcedure, publicProcedure, tenantProcedure } from "../../trpc";
import { ZPage } from "../../schemas";
import {
  ZAcceptInvitationOutput,
  ZAuditEntry,
  ZAuditExportOutput,
  ZAuditFacets,
  ZAuditFilter,
  ZAuditListInput,
  ZChangeRoleInput,
  ZCreateOrganizationInput,
  ZCurrentOrganizationOutput,
  ZInvitation,
  ZInvitationPreview,
  ZInvitationToken,
  ZInviteInput,
  ZInviteOutput,
  ZMember,
  ZOrganization,
  ZOrganizationSummary,
  ZRemovedOutput,
  ZRemoveMemberInput,
  ZRevokedOutput,
  ZRevokeInvitationInput,
  ZSwitchOrganizationInput,
  ZSwitchOrganizationOutput,
  ZUpdateOrganizationInput,
} from "./schemas";

const membersRouter = createTRPCRouter({
  list: tenantProcedure
    .meta({ permission: "members:read" })
    .output(z.array(ZMember))
    .query(({ ctx }) => tenants.listOrganizationMembers(ctx.tenantCtx)),
  changeRole: tenantProcedure
    .meta({ permission: "members:manage", stepUp: true })
    .input(ZChangeRoleInput)
    .output(ZMember)
    .mutation(({ ctx, input }) => tenants.changeMemberRole(ctx.tenantCtx, input)),
  remove: tenantProcedure
    .meta({ permission: "members:manage", stepUp: true })
    .input(ZRemoveMemberInput)
    .output(ZRemovedOutput)
    .mutation(({ ctx, input }) => tenants.removeMember(ctx.tenantCtx, input)),
});

const invitationsRouter = createTRPCRouter({
  list: tenantProcedure
    .meta({ permission: "members:invite" })
    .output(z.array(ZInvitation))
    .query(({ ctx }) => tenants.listInvitations(ctx.tenantCtx)),
  create: tenantProcedure
    .meta({ permission: "members:invite" })
    .input(ZInviteInput)
    .output(ZInviteOutput)
    .mutation(({ ctx, input }) => tenants.inviteMember(ctx.tenantCtx, input)),
  revoke: tenantProcedure
    .meta({ permission: "members:invite" })
    .input(ZRevokeInvitationInput)
    .output(ZRevokedOutput)
    .mutation(({ ctx, input }) => tenants.cancelInvitation(ctx.tenantCtx, input)),
  // Public on purpose: the unguessable token is the credential, and the page must work signed out.
  preview: publicProcedure
    .input(ZInvitationToken)
    .output(ZInvitationPreview)
    .query(({ ctx, input }) => tenants.previewInvitation(ctx.db, input)),
  accept: protectedProcedure
    .input(ZInvitationToken)
    .output(ZAcceptInvitationOutput)
    .mutation(({ ctx, input }) => tenants.acceptInvitation(ctx.user, input)),
});

export const tenantsRouter = createTRPCRouter({
  mine: protectedProcedure.output(z.array(ZOrganizationSummary)).query(({ ctx }) => tenants.listMyOrganizations(ctx.user)),
  create: protectedProcedure
    .input(ZCreateOrganizationInput)
    .output(ZOrganization)
    .mutation(({ ctx, input }) => tenants.createMyOrganization(ctx.user, input)),
  switch: protectedProcedure
    .meta({ personalWrite: true })
    .input(ZSwitchOrganizationInput)
    .output(ZSwitchOrganizationOutput)
    .mutation(({ ctx, input }) => tenants.switchOrganization(ctx.user, input)),
  current: tenantProcedure
    .meta({ permission: "org:read" })
    .output(ZCurrentOrganizationOutput)
    .query(({ ctx }) => tenants.currentOrganization(ctx.tenantCtx)),
  update: tenantProcedure
    .meta({ permission: "org:update" })
    .input(ZUpdateOrganizationInput)
    .output(ZOrganization)
    .mutation(({ ctx, input }) => tenants.updateCurrentOrganization(ctx.tenantCtx, input)),
  leave: tenantProcedure
    // Leaving is the member's own choice: allowed even while the organization is suspended.
    .meta({ permission: "org:read", personalWrite: true })
    .output(ZRemovedOutput)
    .mutation(({ ctx }) => tenants.leaveOrganization(ctx.tenantCtx)),
  members: membersRouter,
  invitations: invitationsRouter,
  audit: tenantProcedure
    .meta({ permission: "audit:read" })
    .input(ZAuditListInput)
    .output(ZPage(ZAuditEntry))
    .query(({ ctx, input }) => auditLog.listAuditLog(ctx.tenantCtx, input)),
  /** The action names and actors found in this organization's log (the audit page's filter choices). */
  auditFacets: tenantProcedure
    .meta({ permission: "audit:read" })
    .output(ZAuditFacets)
    .query(({ ctx }) => auditLog.listAuditFacets(ctx.tenantCtx)),
  /** The filtered log as CSV (at most 50,000 rows); the export is itself recorded as `audit.exported`. */
  auditExport: tenantProcedure
    .meta({ permission: "audit:read" })
    .input(ZAuditFilter)
    .output(ZAuditExportOutput)
    .mutation(({ ctx, input }) => auditLog.exportAuditLog(ctx.tenantCtx, input)),
});
