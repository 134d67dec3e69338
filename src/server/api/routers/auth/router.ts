import { signUp } from "~/server/services/accounts/accounts";
import { createTRPCRouter, publicProcedure } from "../../trpc";
import { ZSignUpInput, ZSignUpOutput } from "./schemas";

// Sign-in and sign-out are next-auth's routes (/api/auth/*); sign-up creates the account they use.
export const authRouter = createTRPCRouter({
  signUp: publicProcedure
    .input(ZSignUpInput)
    .output(ZSignUpOutput)
    .mutation(({ ctx, input }) => signUp(ctx.db, ctx.request, input)),
});
