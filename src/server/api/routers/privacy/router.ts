import * as consents from "~/server/services/privacy/consents";
import * as erasure from "~/server/services/privacy/erasure";
import { createTRPCRouter, protectedProcedure, tenantProcedure } from "~/server/api/trpc";
import { ZAccountErased, ZAccountErasurePreview, ZConsentListInput, ZConsentPage, ZErasureConfirmation, ZOrganizationErased } from "./schemas";

/** LGPD rights: data export, account and organization erasure, consent history (services/privacy). */
export const privacyRouter = createTRPCRouter({
  // connections:read (every member): the same people already see each connection's consent date on
  // its card; IP and user agent are not part of the listing.
  consents: tenantProcedure
    .meta({ permission: "connections:read" })
    .input(ZConsentListInput)
    .output(ZConsentPage)
    .query(({ ctx, input }) => consents.listConsents(ctx.tenantCtx, input)),

  // The caller's own account: what erasing it would do (organizations left, erased, blocking).
  erasurePreview: protectedProcedure.output(ZAccountErasurePreview).query(({ ctx }) => erasure.previewAccountErasure(ctx.user)),

  // Erases the caller's own account (typed confirmation: their e-mail). personalWrite: a right the
  // person keeps during maintenance; stepUp: the second factor (or password) again, just now.
  eraseAccount: protectedProcedure
    .meta({ personalWrite: true, stepUp: true })
    .input(ZErasureConfirmation)
    .output(ZAccountErased)
    .mutation(({ ctx, input }) => erasure.eraseAccount(ctx.user, input)),

  // Erases the active organization and everything in it (owners; typed confirmation: its name).
  eraseOrganization: tenantProcedure
    .meta({ permission: "org:erase", stepUp: true })
    .input(ZErasureConfirmation)
    .output(ZOrganizationErased)
    .mutation(({ ctx, input }) => erasure.eraseOrganization(ctx.tenantCtx, input)),
});
