import { createTRPCRouter, protectedProcedure, tenantProcedure } from "~/server/api/trpc";
import * as twoFactor from "~/server/services/accounts/two-factor";
import { ZConfirmTwoFactor, ZStepUp, ZTwoFactorPolicy } from "./two-factor-schemas";

/** Two-factor authentication and step-up (services/accounts/two-factor.ts). */
export const twoFactorRouter = createTRPCRouter({
  status: protectedProcedure.query(({ ctx }) => twoFactor.twoFactorStatus(ctx.user)),
  beginSetup: protectedProcedure.meta({ personalWrite: true }).mutation(({ ctx }) => twoFactor.beginTwoFactorSetup(ctx.user)),
  confirmSetup: protectedProcedure
    .meta({ personalWrite: true })
    .input(ZConfirmTwoFactor)
    .mutation(({ ctx, input }) => twoFactor.confirmTwoFactorSetup(ctx.user, input.code)),
  disable: protectedProcedure.meta({ stepUp: true }).mutation(({ ctx }) => twoFactor.disableTwoFactor(ctx.user)),
  regenerateRecoveryCodes: protectedProcedure.meta({ stepUp: true, personalWrite: true }).mutation(({ ctx }) => twoFactor.regenerateRecoveryCodes(ctx.user)),
  stepUp: protectedProcedure
    .meta({ personalWrite: true })
    .input(ZStepUp)
    .mutation(({ ctx, input }) => twoFactor.stepUp(ctx.user, input)),
  organizationPolicy: tenantProcedure.meta({ permission: "org:read" }).query(({ ctx }) => twoFactor.organizationTwoFactorPolicy(ctx.tenantCtx)),
  setOrganizationPolicy: tenantProcedure
    .meta({ permission: "security:manage", stepUp: true })
    .input(ZTwoFactorPolicy)
    .mutation(({ ctx, input }) => twoFactor.setOrganizationTwoFactorPolicy(ctx.tenantCtx, input.requireOwnerTwoFactor)),
});
