import * as archive from "~/server/services/archive/archive";
import { createTRPCRouter, tenantProcedure } from "../../trpc";
import { ZArchiveList, ZArchiveListInput, ZArchiveReprocessInput, ZArchiveReprocessOutput, ZArchiveRetentionInput, ZArchiveRetentionOutput } from "./schemas";

/** The raw archive (data lake): owners and managers, like the connections it comes from. */
export const archiveRouter = createTRPCRouter({
  list: tenantProcedure
    .meta({ permission: "connections:manage" })
    .input(ZArchiveListInput)
    .output(ZArchiveList)
    .query(({ ctx, input }) => archive.listArchive(ctx.tenantCtx, input ?? {})),
  reprocess: tenantProcedure
    .meta({ permission: "connections:manage" })
    .input(ZArchiveReprocessInput)
    .output(ZArchiveReprocessOutput)
    .mutation(({ ctx, input }) => archive.requestReprocess(ctx.tenantCtx, input)),
  setRetention: tenantProcedure
    .meta({ permission: "connections:manage" })
    .input(ZArchiveRetentionInput)
    .output(ZArchiveRetentionOutput)
    .mutation(({ ctx, input }) => archive.setArchiveRetention(ctx.tenantCtx, input.days)),
});
