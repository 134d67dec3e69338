import * as consents from "~/server/services/privacy/consents";
import { createTRPCRouter, tenantProcedure } from "~/server/api/trpc";
import { ZConsentListInput, ZConsentPage } from "./schemas";

/** LGPD rights: data export, account and organization erasure, consent history (services/privacy). */
export const privacyRouter = createTRPCRouter({
  // connections:read (every member): the same people already see each connection's consent date on
  // its card; IP and user agent are not part of the listing.
  consents: tenantProcedure
    .meta({ permission: "connections:read" })
    .input(ZConsentListInput)
    .output(ZConsentPage)
    .query(({ ctx, input }) => consents.listConsents(ctx.tenantCtx, input)),
});
