import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";

import { env } from "~/env";
import { db } from "~/server/db";
import { AppError } from "~/server/lib/errors";
import { logger } from "~/server/lib/logger";
import { clientIpFrom, correlationIdFrom } from "~/server/lib/request-meta";
import { authenticate } from "~/server/services/accounts/accounts";
import { sessionJwt } from "~/server/services/accounts/sessions";

declare module "next-auth" {
  interface Session {
    user: { id: string; name: string; email: string; emailVerified: null; sessionId?: string };
  }
}

// The `code` travels to the browser in the sign-in response: it names the kind of failure only,
// never whether the e-mail has an account.
class InvalidCredentials extends CredentialsSignin {
  code = "invalid_credentials";
}
class RateLimited extends CredentialsSignin {
  code = "rate_limited";
}
// The password was right and the account has two-factor authentication on: the form asks for a
// code (or a recovery code) and sends the three fields again.
class TwoFactorRequired extends CredentialsSignin {
  code = "two_factor_required";
}
class InvalidTwoFactorCode extends CredentialsSignin {
  code = "invalid_two_factor_code";
}

const ZCredentials = z.object({
  email: z.string().trim().max(254),
  password: z.string().max(200),
  // A TOTP code or a recovery code; empty when the form has not asked for one yet.
  otp: z.string().trim().max(64).optional().transform((v) => v || undefined),
});

export const { handlers, auth, signIn, signOut } = NextAuth({
  secret: env.AUTH_SECRET,
  trustHost: true,
  session: { strategy: "jwt", maxAge: env.SESSION_MAX_AGE_DAYS * 24 * 60 * 60 },
  pages: { signIn: "/sign-in" },
  logger: {
    // next-auth logs CredentialsSignin as an error with its stack; ours are expected outcomes.
    error: (error) => {
      if (error instanceof CredentialsSignin) return;
      logger.error({ err: { name: error.name, message: error.message } }, "auth error");
    },
    warn: (code) => logger.warn({ code }, "auth warning"),
    debug: () => undefined,
  },
  providers: [
    Credentials({
      credentials: { email: { type: "email" }, password: { type: "password" }, otp: { type: "text" } },
      async authorize(raw, request) {
        const parsed = ZCredentials.safeParse(raw);
        if (!parsed.success) throw new InvalidCredentials();
        const headers = request.headers;
        try {
          return await authenticate(
            db,
            { correlationId: correlationIdFrom(headers), ip: clientIpFrom(headers, env.TRUSTED_PROXY_HOPS), userAgent: headers.get("user-agent") ?? undefined },
            parsed.data,
          );
        } catch (error) {
          if (error instanceof AppError && error.code === "TOO_MANY_REQUESTS") throw new RateLimited();
          if (error instanceof AppError && error.reason === "twoFactorRequired") throw new TwoFactorRequired();
          if (error instanceof AppError && error.reason === "invalidTwoFactorCode") throw new InvalidTwoFactorCode();
          if (error instanceof AppError && error.code === "UNAUTHORIZED") throw new InvalidCredentials();
          throw error;
        }
      },
    }),
  ],
  callbacks: {
    // Runs on sign-in and on every auth(): opens the UserSession row, then checks it is still live
    // (a null return signs the person out: next-auth clears the cookie and answers no session).
    jwt({ token, user }) {
      return sessionJwt(db, token, user, async () => {
        // The sign-in request (the callback receives no request; next/headers sees it).
        const { headers } = await import("next/headers");
        const h = await headers();
        return { ip: clientIpFrom(h, env.TRUSTED_PROXY_HOPS), userAgent: h.get("user-agent") ?? undefined };
      });
    },
    // Only these fields reach the browser: never spread the user row into the session.
    session({ session, token }) {
      return {
        ...session,
        user: {
          id: token.sub ?? "",
          name: token.name ?? "",
          email: token.email ?? "",
          emailVerified: null,
          // The UserSession row behind this JWT (lets the session list mark "this device").
          sessionId: typeof token.sid === "string" ? token.sid : undefined,
        },
      };
    },
  },
});
