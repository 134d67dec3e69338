import * as media from "~/server/services/media/media";
import { createTRPCRouter, tenantProcedure } from "../../trpc";
import { uploadLimits } from "~/server/services/media/upload";
import {
  ZMediaAttachInput,
  ZMediaIdInput,
  ZMediaLimits,
  ZMediaList,
  ZMediaListInput,
  ZMediaRemoveResult,
  ZMediaReorderInput,
  ZMediaReorderResult,
  ZMediaRow,
} from "./schemas";

/** Uploads go through POST /api/v1/media (multipart streaming); everything else is here. */
export const mediaRouter = createTRPCRouter({
  list: tenantProcedure
    .meta({ permission: "content:read" })
    .input(ZMediaListInput)
    .output(ZMediaList)
    .query(({ ctx, input }) => media.listMedia(ctx.tenantCtx, input)),
  get: tenantProcedure
    .meta({ permission: "content:read" })
    .input(ZMediaIdInput)
    .output(ZMediaRow)
    .query(({ ctx, input }) => media.getMedia(ctx.tenantCtx, input)),
  attach: tenantProcedure
    .meta({ permission: "content:write" })
    .input(ZMediaAttachInput)
    .output(ZMediaRow)
    .mutation(({ ctx, input }) => media.attachMedia(ctx.tenantCtx, input)),
  reorder: tenantProcedure
    .meta({ permission: "content:write" })
    .input(ZMediaReorderInput)
    .output(ZMediaReorderResult)
    .mutation(({ ctx, input }) => media.reorderMedia(ctx.tenantCtx, input)),
  /** What the upload endpoint accepts, so the browser can refuse a file before sending it. */
  limits: tenantProcedure
    .meta({ permission: "content:read" })
    .output(ZMediaLimits)
    .query(() => uploadLimits()),
  remove: tenantProcedure
    .meta({ permission: "content:write" })
    .input(ZMediaIdInput)
    .output(ZMediaRemoveResult)
    .mutation(({ ctx, input }) => media.removeMedia(ctx.tenantCtx, input)),
});
