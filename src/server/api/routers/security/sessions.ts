import { createTRPCRouter } from "~/server/api/trpc";

/** Sessions and password: list, revoke, sign out everywhere, change password (services/accounts/sessions.ts). */
export const sessionsRouter = createTRPCRouter({});
