"use server";

import { cookies } from "next/headers";

import { LOCALE_COOKIE, toLocale } from "~/i18n/locales";
import { signOut } from "~/server/auth/config";
import { safeCallbackUrl } from "./callback-url";

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/** Stores the interface language; setting a cookie in an action re-renders the current route. */
export async function setLocaleAction(formData: FormData): Promise<void> {
  // toLocale() maps anything unexpected to the default, so a forged value cannot break rendering.
  const locale = toLocale(String(formData.get("locale") ?? ""));
  (await cookies()).set(LOCALE_COOKIE, locale, { path: "/", maxAge: ONE_YEAR_SECONDS, sameSite: "lax" });
}

/**
 * Ends the session on the server (clears the next-auth cookie). Goes to the sign-in page, or back
 * to a same-origin page named in the form (the invitation page, to continue as someone else).
 */
export async function signOutAction(formData?: FormData): Promise<void> {
  await signOut({ redirectTo: safeCallbackUrl(formData?.get("redirectTo"), "/sign-in") });
}
