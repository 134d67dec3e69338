import * as publications from "~/server/services/publishing/publications";
import { z } from "zod";

import { RestPublication } from "../../openapi/contracts";
import { createTRPCRouter, tenantProcedure } from "../../trpc";
import {
  ZCalendar,
  ZCalendarInput,
  ZCountsInput,
  ZListForContentInput,
  ZPublicationCounts,
  ZPublicationIdInput,
  ZPublicationListInput,
  ZPublicationPage,
  ZPublicationRow,
  ZPublicationRows,
  ZRescheduleInput,
  ZScheduleInput,
} from "./schemas";

export const publicationsRouter = createTRPCRouter({
  schedule: tenantProcedure
    .meta({
      permission: "social:publish",
      openapi: {
        method: "POST",
        path: "/publications",
        summary: "Schedule publications",
        description: "Schedules an approved content on one or more connected social accounts, each at its own time (ISO 8601). Returns one publication per target.",
        tags: ["Publications"],
        output: z.array(RestPublication),
        successStatus: 201,
      },
    })
    .input(ZScheduleInput)
    .output(ZPublicationRows)
    .mutation(({ ctx, input }) => publications.schedule(ctx.tenantCtx, input)),
  reschedule: tenantProcedure
    .meta({ permission: "social:publish" })
    .input(ZRescheduleInput)
    .output(ZPublicationRow)
    .mutation(({ ctx, input }) => publications.reschedule(ctx.tenantCtx, input)),
  cancel: tenantProcedure
    .meta({ permission: "social:publish" })
    .input(ZPublicationIdInput)
    .output(ZPublicationRow)
    .mutation(({ ctx, input }) => publications.cancel(ctx.tenantCtx, input)),
  retry: tenantProcedure
    .meta({ permission: "social:publish" })
    .input(ZPublicationIdInput)
    .output(ZPublicationRow)
    .mutation(({ ctx, input }) => publications.retry(ctx.tenantCtx, input)),
  get: tenantProcedure
    .meta({
      permission: "content:read",
      openapi: { method: "GET", path: "/publications/{id}", summary: "Get a publication", description: "One publication and its status.", tags: ["Publications"], output: RestPublication },
    })
    .input(ZPublicationIdInput)
    .output(ZPublicationRow)
    .query(({ ctx, input }) => publications.get(ctx.tenantCtx, input)),
  listForContent: tenantProcedure
    .meta({ permission: "content:read" })
    .input(ZListForContentInput)
    .output(ZPublicationRows)
    .query(({ ctx, input }) => publications.listForContent(ctx.tenantCtx, input)),
  list: tenantProcedure
    .meta({
      permission: "content:read",
      openapi: {
        method: "GET",
        path: "/publications",
        summary: "List publications",
        description: "Publications by tab (scheduled by default: soonest first; published, failed, unconfirmed, canceled) or by status, optionally for one network; paginated by cursor.",
        tags: ["Publications"],
        output: RestPublication,
        paginated: true,
      },
    })
    .input(ZPublicationListInput)
    .output(ZPublicationPage)
    .query(({ ctx, input }) => publications.list(ctx.tenantCtx, input)),
  counts: tenantProcedure
    .meta({ permission: "content:read" })
    .input(ZCountsInput)
    .output(ZPublicationCounts)
    .query(({ ctx, input }) => publications.counts(ctx.tenantCtx, input ?? {})),
  calendar: tenantProcedure
    .meta({ permission: "content:read" })
    .input(ZCalendarInput)
    .output(ZCalendar)
    .query(({ ctx, input }) => publications.calendar(ctx.tenantCtx, input)),
});
