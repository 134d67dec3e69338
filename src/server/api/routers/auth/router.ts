import { signUp } from "~/server/services/accounts/accounts";
import { loginWithPassword } from "~/server/services/developer/login";
import { createTRPCRouter, publicProcedure } from "../../trpc";
import { ZLoginInput, ZLoginOutput, ZRegisterRestOutput, ZSignUpInput, ZSignUpOutput } from "./schemas";

// Web sign-in and sign-out are next-auth's routes (/api/auth/*); sign-up creates the account they
// use. `login` is for API clients: it answers an access token instead of a cookie.
export const authRouter = createTRPCRouter({
  signUp: publicProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/auth/register",
        summary: "Create an account",
        description: "Creates a user and their first organization (named after `organizationName`, else the person). Then call `POST /auth/login` for a token.",
        tags: ["Auth"],
        output: ZRegisterRestOutput,
        rateLimitClass: "auth",
        successStatus: 201,
      },
    })
    .input(ZSignUpInput)
    .output(ZSignUpOutput)
    .mutation(({ ctx, input }) => signUp(ctx.db, ctx.request, input)),
  // Public on purpose: the e-mail and password are the credential.
  login: publicProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/auth/login",
        summary: "Get an access token",
        description:
          "Exchanges an e-mail and password for a short-lived access token (`sst_…`). Send it as `Authorization: Bearer <token>`; it acts as the user, in their active organization, until `expiresAt`. A wrong e-mail or password, or a blocked account, answers 401 `invalidCredentials`. An account with two-factor authentication on also needs `otp` (the authenticator app's 6-digit code, or a recovery code, each usable once): without it the answer is 401 `twoFactorRequired` (the password was right), with a wrong or already used one 401 `invalidTwoFactorCode`. Repeated failures answer 429.",
        tags: ["Auth"],
        output: ZLoginOutput,
        rateLimitClass: "auth",
      },
    })
    .input(ZLoginInput)
    .output(ZLoginOutput)
    .mutation(({ ctx, input }) => loginWithPassword(ctx.db, ctx.request, input)),
});
