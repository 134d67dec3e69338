import { createTRPCRouter } from "~/server/api/trpc";
import { sessionsRouter } from "./sessions";
import { twoFactorRouter } from "./two-factor";

/** The signed-in person's own account security (Settings → Segurança). */
export const securityRouter = createTRPCRouter({
  sessions: sessionsRouter,
  twoFactor: twoFactorRouter,
});
