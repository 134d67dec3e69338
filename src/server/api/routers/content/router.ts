import { z } from "zod";

import { listOrganizationContents } from "~/server/services/content/content";
import { createTRPCRouter, tenantProcedure } from "../../trpc";
import { ZId, ZPage, ZPageInput } from "../../schemas";

const ZContentRow = z.object({
  id: ZId,
  title: z.string(),
  status: z.enum(["DRAFT", "IN_REVIEW", "APPROVED"]),
  createdAt: z.date(),
  campaign: z.object({ id: ZId, name: z.string() }).nullable(),
  variants: z.array(z.object({ network: z.enum(["INSTAGRAM", "TIKTOK", "YOUTUBE"]) })),
});

export const contentRouter = createTRPCRouter({
  list: tenantProcedure
    .meta({ permission: "content:read" })
    .input(ZPageInput)
    .output(ZPage(ZContentRow))
    .query(({ ctx, input }) => listOrganizationContents(ctx.tenantCtx, input)),
});
