import { actionsRouter } from "./routers/actions/router";
import { adminRouter } from "./routers/admin/router";
import { apiKeysRouter } from "./routers/apiKeys/router";
import { archiveRouter } from "./routers/archive/router";
import { analyticsRouter } from "./routers/analytics/router";
import { authRouter } from "./routers/auth/router";
import { billingRouter } from "./routers/billing/router";
import { connectorsRouter } from "./routers/connectors/router";
import { contentRouter } from "./routers/content/router";
import { engagementRouter } from "./routers/engagement/router";
import { jobsRouter } from "./routers/jobs/router";
import { listingsRouter } from "./routers/listings/router";
import { mediaRouter } from "./routers/media/router";
import { notificationsRouter } from "./routers/notifications/router";
import { privacyRouter } from "./routers/privacy/router";
import { productTelemetryRouter } from "./routers/productTelemetry/router";
import { publicationsRouter } from "./routers/publications/router";
import { scoresRouter } from "./routers/scores/router";
import { searchRouter } from "./routers/search/router";
import { securityRouter } from "./routers/security/router";
import { tenantsRouter } from "./routers/tenants/router";
import { webhooksRouter } from "./routers/webhooks/router";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  auth: authRouter,
  tenants: tenantsRouter,
  connectors: connectorsRouter,
  archive: archiveRouter,
  listings: listingsRouter,
  scores: scoresRouter,
  search: searchRouter,
  actions: actionsRouter,
  content: contentRouter,
  media: mediaRouter,
  publications: publicationsRouter,
  analytics: analyticsRouter,
  engagement: engagementRouter,
  notifications: notificationsRouter,
  billing: billingRouter,
  jobs: jobsRouter,
  admin: adminRouter,
  apiKeys: apiKeysRouter,
  webhooks: webhooksRouter,
  security: securityRouter,
  privacy: privacyRouter,
  productTelemetry: productTelemetryRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
