import { createTRPCRouter } from "~/server/api/trpc";

/** Two-factor authentication and step-up (services/accounts/two-factor.ts). */
export const twoFactorRouter = createTRPCRouter({});
