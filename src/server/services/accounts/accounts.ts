import { AppError } from "~/server/lib/errors";
import { createLimiter } from "~/server/lib/rate-limit";
import { slugWithSuffix } from "~/server/lib/slug";
import type { Db } from "~/server/db";
import { burnPasswordCheck, checkPasswordStrength, hashPassword, verifyPassword } from "~/server/auth/password";
import { createOrganization } from "~/server/repositories/organizations";
import { createUser, emailIsTaken, findUserCredentialsByEmail, normalizeEmail, setActiveOrganization } from "~/server/repositories/users";
import { findTwoFactorState } from "~/server/repositories/two-factor";
import { audit } from "../audit";
import { verifySecondFactor } from "./two-factor";
import type { RequestMeta } from "../context";

export type SignUpInput = { name: string; email: string; password: string; organizationName?: string; locale: string };

// Sign-ups per IP per hour: slows down account enumeration and bulk registrations.
const signUpLimiter = createLimiter("signup-ip", 10, 60 * 60);
// Failed sign-ins: per IP (many accounts) and per account (many IPs), 15-minute windows.
export const signInIpLimiter = createLimiter("signin-ip", 30, 15 * 60);
export const signInAccountLimiter = createLimiter("signin-account", 8, 15 * 60);

export async function signUp(db: Db, request: RequestMeta, input: SignUpInput) {
  await signUpLimiter.consume(request.ip ?? "unknown");
  const email = normalizeEmail(input.email);
  const problem = checkPasswordStrength(input.password, [input.name, email]);
  if (problem) {
    throw new AppError("BAD_REQUEST", `password.${problem}`, "Choose a stronger password", { field: "password" });
  }
  // Deliberately generic: the same words whether or not an account exists for this address
  // would be ideal, but sign-up has to refuse somehow; we never say "this e-mail has an account".
  const refusal = new AppError(
    "CONFLICT",
    "signUpRefused",
    "We could not create an account with these details. If you already have one, sign in instead.",
  );
  if (await emailIsTaken(db, email)) throw refusal;

  const passwordHash = await hashPassword(input.password);
  try {
    return await db.$transaction(async (tx) => {
      const user = await createUser(tx, { email, name: input.name.trim(), passwordHash, locale: input.locale });
      const orgName = input.organizationName?.trim() || input.name.trim();
      const organization = await createOrganization(tx, { name: orgName, slug: slugWithSuffix(orgName), ownerUserId: user.id });
      await setActiveOrganization(tx, user.id, organization.id);
      const who = { organizationId: organization.id, userId: user.id, request };
      await audit(tx, who, "user.signed_up", { type: "user", id: user.id });
      await audit(tx, who, "organization.created", { type: "organization", id: organization.id }, { name: organization.name });
      // `id`, `email` and `name` are what POST /api/v1/auth/register answers; `userId` is the app's.
      return { userId: user.id, organizationId: organization.id, id: user.id, email: user.email, name: user.name };
    });
  } catch (error) {
    // Two sign-ups racing for one address: the unique index decides, the loser gets the same refusal.
    if (isUniqueViolation(error)) throw refusal;
    throw error;
  }
}

export type AuthenticatedUser = { id: string; name: string; email: string };

/**
 * Credentials check for next-auth. Returns the user, or throws AppError UNAUTHORIZED
 * ("invalidCredentials", same for unknown e-mail and wrong password) or TOO_MANY_REQUESTS.
 */
export async function authenticate(
  db: Db,
  request: RequestMeta,
  credentials: { email: string; password: string; otp?: string },
): Promise<AuthenticatedUser> {
  const email = normalizeEmail(credentials.email);
  const ipKey = request.ip ?? "unknown";
  for (const [limiter, key] of [[signInIpLimiter, ipKey], [signInAccountLimiter, email]] as const) {
    const { blocked, retryAfterSeconds } = await limiter.isBlocked(key);
    if (blocked) throw new AppError("TOO_MANY_REQUESTS", "rateLimited", "Too many attempts, try again later", { retryAfterSeconds });
  }

  const user = await findUserCredentialsByEmail(db, email);
  const ok = user && !user.bannedAt
    ? await verifyPassword(credentials.password, user.passwordHash)
    : await burnPasswordCheck(credentials.password);

  if (!ok || !user) {
    await Promise.all([
      signInIpLimiter.consume(ipKey).catch(() => undefined),
      signInAccountLimiter.consume(email).catch(() => undefined),
    ]);
    await audit(db, { organizationId: null, userId: user?.id ?? null, request }, "user.sign_in_failed");
    throw new AppError("UNAUTHORIZED", "invalidCredentials", "E-mail or password is incorrect");
  }
  const secondFactor = await findTwoFactorState(db, user.id);
  if (secondFactor?.twoFactorEnabledAt) {
    // The password was right: asking for the code is not a failed attempt.
    if (!credentials.otp) throw new AppError("UNAUTHORIZED", "twoFactorRequired", "Enter the code from your authenticator app");
    if (!(await verifySecondFactor(db, request, secondFactor, credentials.otp))) {
      await Promise.all([
        signInIpLimiter.consume(ipKey).catch(() => undefined),
        signInAccountLimiter.consume(email).catch(() => undefined),
      ]);
      await audit(db, { organizationId: null, userId: user.id, request }, "user.two_factor_failed");
      throw new AppError("UNAUTHORIZED", "invalidTwoFactorCode", "The code is not valid");
    }
  }
  await signInAccountLimiter.reset(email);
  await audit(db, { organizationId: user.activeOrganizationId, userId: user.id, request }, "user.signed_in");
  return { id: user.id, name: user.name, email: user.email };
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && (error as { code: unknown }).code === "P2002";
}
