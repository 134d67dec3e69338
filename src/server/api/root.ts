import { actionsRouter } from "./routers/actions/router";
import { authRouter } from "./routers/auth/router";
import { billingRouter } from "./routers/billing/router";
import { connectorsRouter } from "./routers/connectors/router";
import { contentRouter } from "./routers/content/router";
import { jobsRouter } from "./routers/jobs/router";
import { listingsRouter } from "./routers/listings/router";
import { scoresRouter } from "./routers/scores/router";
import { tenantsRouter } from "./routers/tenants/router";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  auth: authRouter,
  tenants: tenantsRouter,
  connectors: connectorsRouter,
  listings: listingsRouter,
  scores: scoresRouter,
  actions: actionsRouter,
  content: contentRouter,
  billing: billingRouter,
  jobs: jobsRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
