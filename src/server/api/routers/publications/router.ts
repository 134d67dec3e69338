import * as publications from "~/server/services/publishing/publications";
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
    .meta({ permission: "social:publish" })
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
    .meta({ permission: "content:read" })
    .input(ZPublicationIdInput)
    .output(ZPublicationRow)
    .query(({ ctx, input }) => publications.get(ctx.tenantCtx, input)),
  listForContent: tenantProcedure
    .meta({ permission: "content:read" })
    .input(ZListForContentInput)
    .output(ZPublicationRows)
    .query(({ ctx, input }) => publications.listForContent(ctx.tenantCtx, input)),
  list: tenantProcedure
    .meta({ permission: "content:read" })
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
