import { z } from "zod";

import { createTRPCRouter, protectedProcedure } from "~/server/api/trpc";
import { changePassword } from "~/server/services/accounts/password-change";
import { listSessions, revokeAllSessions, revokeSession } from "~/server/services/accounts/sessions";
import {
  ZChangePasswordInput,
  ZChangePasswordOutput,
  ZRevokeManyOutput,
  ZRevokeSessionInput,
  ZRevokeSessionOutput,
  ZSessionItem,
} from "./sessions-schemas";

/** Sessions and password: list, revoke, sign out everywhere, change password (services/accounts/sessions.ts). */
export const sessionsRouter = createTRPCRouter({
  list: protectedProcedure.output(z.array(ZSessionItem)).query(({ ctx }) => listSessions(ctx.user)),
  // Taking access away always works, even during maintenance or a suspension.
  revoke: protectedProcedure
    .meta({ revokesAccess: true })
    .input(ZRevokeSessionInput)
    .output(ZRevokeSessionOutput)
    .mutation(({ ctx, input }) => revokeSession(ctx.user, input.id)),
  revokeOthers: protectedProcedure
    .meta({ revokesAccess: true })
    .output(ZRevokeManyOutput)
    .mutation(({ ctx }) => revokeAllSessions(ctx.user, true)),
  revokeAll: protectedProcedure
    .meta({ revokesAccess: true })
    .output(ZRevokeManyOutput)
    .mutation(({ ctx }) => revokeAllSessions(ctx.user, false)),
  changePassword: protectedProcedure
    .meta({ personalWrite: true })
    .input(ZChangePasswordInput)
    .output(ZChangePasswordOutput)
    .mutation(({ ctx, input }) => changePassword(ctx.user, input)),
});
