import { z } from "zod";

import * as admin from "~/server/services/platform/admin";
import { adminProcedure, createTRPCRouter } from "../../trpc";
import {
  ZAdminOrganization,
  ZAdminOrganizationPage,
  ZAdminPlan,
  ZAdminUserPage,
  ZBanInput,
  ZFlag,
  ZFlagOverride,
  ZFlagOverridesInput,
  ZMaintenanceOutput,
  ZMetrics,
  ZOkOutput,
  ZOrganizationIdInput,
  ZOrganizationsInput,
  ZPlanInput,
  ZSetFlagInput,
  ZSetFlagOverrideInput,
  ZSetMaintenanceInput,
  ZSuspendInput,
  ZUserIdInput,
  ZUsersInput,
} from "./schemas";

/** Platform administration: platform admins only (adminProcedure), no organization membership needed. */
export const adminRouter = createTRPCRouter({
  metrics: adminProcedure.output(ZMetrics).query(({ ctx }) => admin.metrics(ctx.admin)),

  organizations: adminProcedure
    .input(ZOrganizationsInput)
    .output(ZAdminOrganizationPage)
    .query(({ ctx, input }) => admin.listOrganizations(ctx.admin, input)),
  organization: adminProcedure.input(ZOrganizationIdInput).output(ZAdminOrganization).query(({ ctx, input }) => admin.getOrganization(ctx.admin, input)),
  suspendOrganization: adminProcedure
    .input(ZSuspendInput)
    .output(ZAdminOrganization)
    .mutation(({ ctx, input }) => admin.suspendOrganization(ctx.admin, input)),
  reactivateOrganization: adminProcedure
    .input(ZOrganizationIdInput)
    .output(ZAdminOrganization)
    .mutation(({ ctx, input }) => admin.reactivateOrganization(ctx.admin, input)),

  users: adminProcedure.input(ZUsersInput).output(ZAdminUserPage).query(({ ctx, input }) => admin.listUsers(ctx.admin, input)),
  banUser: adminProcedure.input(ZBanInput).output(ZOkOutput).mutation(({ ctx, input }) => admin.banUser(ctx.admin, input)),
  unbanUser: adminProcedure.input(ZUserIdInput).output(ZOkOutput).mutation(({ ctx, input }) => admin.unbanUser(ctx.admin, input)),

  flags: adminProcedure.output(z.array(ZFlag)).query(({ ctx }) => admin.listFlags(ctx.admin)),
  setFlag: adminProcedure.input(ZSetFlagInput).output(ZFlag).mutation(({ ctx, input }) => admin.setFlag(ctx.admin, input)),
  setFlagOverride: adminProcedure.input(ZSetFlagOverrideInput).output(ZOkOutput).mutation(({ ctx, input }) => admin.setFlagOverride(ctx.admin, input)),
  flagOverrides: adminProcedure.input(ZFlagOverridesInput).output(z.array(ZFlagOverride)).query(({ ctx, input }) => admin.flagOverrides(ctx.admin, input)),

  maintenance: adminProcedure.output(ZMaintenanceOutput).query(({ ctx }) => admin.maintenance(ctx.admin)),
  setMaintenance: adminProcedure.input(ZSetMaintenanceInput).output(ZMaintenanceOutput).mutation(({ ctx, input }) => admin.setMaintenance(ctx.admin, input)),

  plans: adminProcedure.output(z.array(ZAdminPlan)).query(({ ctx }) => admin.listPlans(ctx.admin)),
  updatePlan: adminProcedure.input(ZPlanInput).output(ZAdminPlan).mutation(({ ctx, input }) => admin.updatePlan(ctx.admin, input)),
  createPlan: adminProcedure.input(ZPlanInput).output(ZAdminPlan).mutation(({ ctx, input }) => admin.createPlan(ctx.admin, input)),
});
