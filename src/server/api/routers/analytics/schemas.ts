import { z } from "zod";

import { ZId, ZPage } from "../../schemas";

export const ZNetwork = z.enum(["INSTAGRAM", "TIKTOK", "YOUTUBE"]);
export const ZRange = z.union([z.literal(7), z.literal(30), z.literal(90)]);
export const ZPostSort = z.enum(["views", "engagement", "recent"]);

export const ZOverviewInput = z.object({ range: ZRange, networks: z.array(ZNetwork).max(3).optional() });
export const ZAccountSeriesInput = z.object({ range: ZRange, connectionId: ZId.optional() });
export const ZPostsInput = z.object({
  range: ZRange,
  network: ZNetwork.optional(),
  sort: ZPostSort.default("views"),
  limit: z.number().int().min(1).max(100).default(20),
  cursor: z.string().max(100).optional(),
});
export const ZTopPostsInput = z.object({ range: ZRange, limit: z.number().int().min(1).max(20).default(5) });
export const ZSyncNowInput = z.object({ connectionId: ZId.optional() });

const ZKpis = z.object({
  accounts: z.number().int(),
  followers: z.number().int().nullable(),
  followersGrowth: z.number().int().nullable(),
  views: z.number().int(),
  reach: z.number().int(),
  engagements: z.number().int(),
  postsPublished: z.number().int(),
  /** Engagements per reach (views when no reach), 0–1; null without an audience. */
  engagementRate: z.number().nullable(),
});

export const ZAccountCard = z.object({
  connectionId: ZId,
  network: ZNetwork,
  accountName: z.string().nullable(),
  status: z.enum(["ACTIVE", "NEEDS_RECONNECT", "ERROR", "DISCONNECTED"]),
  syncedAt: z.date().nullable(),
  syncError: z.string().nullable(),
});

export const ZOverview = z.object({
  range: ZRange,
  from: z.string(),
  to: z.string(),
  total: ZKpis,
  networks: z.array(ZKpis.extend({ network: ZNetwork })),
  accounts: z.array(ZAccountCard),
  lastSyncedAt: z.date().nullable(),
  hasData: z.boolean(),
});

const ZPoint = z.object({
  date: z.string(),
  followers: z.number().int().nullable(),
  views: z.number().int().nullable(),
  reach: z.number().int().nullable(),
  engagements: z.number().int().nullable(),
  profileViews: z.number().int().nullable(),
});

export const ZAccountSeries = z.object({
  days: z.array(z.string()),
  accounts: z.array(z.object({ connectionId: ZId, network: ZNetwork, accountName: z.string().nullable(), points: z.array(ZPoint) })),
  networks: z.array(z.object({ network: ZNetwork, points: z.array(ZPoint) })),
});

export const ZPostRow = z.object({
  id: ZId,
  contentId: ZId,
  contentTitle: z.string(),
  network: ZNetwork,
  connectionId: ZId,
  accountName: z.string().nullable(),
  publishedAt: z.date().nullable(),
  permalink: z.string().nullable(),
  measuredOn: z.string().nullable(),
  metrics: z
    .object({
      views: z.number().int(),
      reach: z.number().int(),
      likes: z.number().int(),
      comments: z.number().int(),
      shares: z.number().int(),
      saves: z.number().int(),
      engagements: z.number().int(),
      engagementRate: z.number().nullable(),
    })
    .nullable(),
  growth: z.object({ views: z.number().int(), engagements: z.number().int() }).nullable(),
});

export const ZPostPage = ZPage(ZPostRow);
export const ZTopPosts = z.array(ZPostRow);
export const ZSyncNowResult = z.object({ queued: z.number().int() });
