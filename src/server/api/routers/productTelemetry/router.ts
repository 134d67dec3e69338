import * as dashboard from "~/server/services/product-telemetry/dashboard";
import * as settings from "~/server/services/product-telemetry/settings";
import { adminProcedure, createTRPCRouter, tenantProcedure } from "../../trpc";
import { ZProductDashboard, ZProductTelemetrySettings, ZSetProductTelemetryInput, ZSetProductTelemetryOutput } from "./schemas";

/** Product telemetry: the organization's opt-out (tenant) and the platform dashboard (admin). */
export const productTelemetryRouter = createTRPCRouter({
  settings: tenantProcedure
    .meta({ permission: "org:read" })
    .output(ZProductTelemetrySettings)
    .query(({ ctx }) => settings.getProductTelemetrySettings(ctx.tenantCtx)),
  setEnabled: tenantProcedure
    .meta({ permission: "org:update" })
    .input(ZSetProductTelemetryInput)
    .output(ZSetProductTelemetryOutput)
    .mutation(({ ctx, input }) => settings.setProductTelemetryEnabled(ctx.tenantCtx, input.enabled)),
  dashboard: adminProcedure.output(ZProductDashboard).query(({ ctx }) => dashboard.productDashboard(ctx.admin)),
});
