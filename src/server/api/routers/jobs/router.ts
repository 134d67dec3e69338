import * as jobs from "~/server/services/jobs/runs";
import { createTRPCRouter, tenantProcedure } from "../../trpc";
import { ZJobRunList, ZJobRunListInput, ZJobRunRetryInput, ZJobRunRetryOutput } from "./schemas";

export const jobsRouter = createTRPCRouter({
  list: tenantProcedure
    .meta({ permission: "jobs:read" })
    .input(ZJobRunListInput)
    .output(ZJobRunList)
    .query(({ ctx, input }) => jobs.listJobRuns(ctx.tenantCtx, input)),
  retry: tenantProcedure
    .meta({ permission: "jobs:retry" })
    .input(ZJobRunRetryInput)
    .output(ZJobRunRetryOutput)
    .mutation(({ ctx, input }) => jobs.retryJobRun(ctx.tenantCtx, input)),
});
