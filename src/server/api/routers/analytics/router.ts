import * as analytics from "~/server/services/analytics/analytics";
import { createTRPCRouter, tenantProcedure } from "../../trpc";
import {
  ZAccountSeries,
  ZAccountSeriesInput,
  ZOverview,
  ZOverviewInput,
  ZPostPage,
  ZPostsInput,
  ZSyncNowInput,
  ZSyncNowResult,
  ZTopPosts,
  ZTopPostsInput,
} from "./schemas";

export const analyticsRouter = createTRPCRouter({
  overview: tenantProcedure
    .meta({ permission: "content:read" })
    .input(ZOverviewInput)
    .output(ZOverview)
    .query(({ ctx, input }) => analytics.overview(ctx.tenantCtx, input)),
  accountSeries: tenantProcedure
    .meta({ permission: "content:read" })
    .input(ZAccountSeriesInput)
    .output(ZAccountSeries)
    .query(({ ctx, input }) => analytics.accountSeries(ctx.tenantCtx, input)),
  posts: tenantProcedure
    .meta({ permission: "content:read" })
    .input(ZPostsInput)
    .output(ZPostPage)
    .query(({ ctx, input }) => analytics.posts(ctx.tenantCtx, input)),
  topPosts: tenantProcedure
    .meta({ permission: "content:read" })
    .input(ZTopPostsInput)
    .output(ZTopPosts)
    .query(({ ctx, input }) => analytics.topPosts(ctx.tenantCtx, input)),
  syncNow: tenantProcedure
    .meta({ permission: "content:write" })
    .input(ZSyncNowInput)
    .output(ZSyncNowResult)
    .mutation(({ ctx, input }) => analytics.syncNow(ctx.tenantCtx, input)),
});
