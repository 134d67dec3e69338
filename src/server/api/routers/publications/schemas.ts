import { z } from "zod";

import { CALENDAR_MAX_DAYS, SCHEDULE_TARGETS_MAX } from "~/server/services/publishing/publications";
import { ZId, ZInstant, ZPage, ZPageInput } from "../../schemas";

export const ZPublicationStatus = z.enum(["SCHEDULED", "DISPATCHED", "PUBLISHING", "PUBLISHED", "UNCONFIRMED", "FAILED", "CANCELED"]);
export const ZSocialNetwork = z.enum(["INSTAGRAM", "TIKTOK", "YOUTUBE"]);
export const ZPublicationTab = z.enum(["scheduled", "published", "failed", "unconfirmed", "canceled"]);

export const ZScheduleInput = z.object({
  contentId: ZId,
  targets: z.array(z.object({ connectionId: ZId, scheduledAt: ZInstant })).min(1).max(SCHEDULE_TARGETS_MAX),
});
export const ZRescheduleInput = z.object({ id: ZId, scheduledAt: ZInstant });
export const ZPublicationIdInput = z.object({ id: ZId });
export const ZListForContentInput = z.object({ contentId: ZId });

export const ZPublicationListInput = ZPageInput.extend({
  /** A tab of the Publicações page (default "scheduled"); `status` narrows to one status instead. */
  tab: ZPublicationTab.optional(),
  status: ZPublicationStatus.optional(),
  network: ZSocialNetwork.optional(),
});
export const ZCountsInput = z.object({ network: ZSocialNetwork.optional() }).optional();

export const ZCalendarInput = z.object({
  from: ZInstant,
  /** Exclusive; at most CALENDAR_MAX_DAYS after `from`. */
  to: ZInstant,
  networks: z.array(ZSocialNetwork).min(1).max(3).optional(),
});

export const ZPublicationRow = z.object({
  id: ZId,
  contentId: ZId,
  contentTitle: z.string(),
  network: ZSocialNetwork,
  connectionId: ZId,
  accountName: z.string().nullable(),
  status: ZPublicationStatus,
  scheduledAt: z.date(),
  dispatchedAt: z.date().nullable(),
  publishedAt: z.date().nullable(),
  /** When the run acts again (retry backoff, quota wait). */
  nextAttemptAt: z.date().nullable(),
  externalId: z.string().nullable(),
  permalink: z.string().nullable(),
  attempts: z.number().int(),
  version: z.number().int(),
  failureCode: z.string().nullable(),
  /** Human-readable sentence (ours in the organization's language, or the network's own text). */
  failureReason: z.string().nullable(),
  createdAt: z.date(),
});
export const ZPublicationRows = z.array(ZPublicationRow);
export const ZPublicationPage = ZPage(ZPublicationRow);

export const ZPublicationCounts = z.object({
  scheduled: z.number().int(),
  published: z.number().int(),
  failed: z.number().int(),
  unconfirmed: z.number().int(),
  canceled: z.number().int(),
});

export const ZCalendarRow = z.object({
  id: ZId,
  contentId: ZId,
  contentTitle: z.string(),
  network: ZSocialNetwork,
  connectionId: ZId,
  accountName: z.string().nullable(),
  status: ZPublicationStatus,
  scheduledAt: z.date(),
  publishedAt: z.date().nullable(),
  permalink: z.string().nullable(),
  thumbnailUrl: z.string().nullable(),
  failureReason: z.string().nullable(),
});
export const ZCalendar = z.array(ZCalendarRow);

export { CALENDAR_MAX_DAYS };
