"use client";

import { useTranslations } from "next-intl";
import { useEffect } from "react";

import { authHref, safeCallbackUrl } from "./callback-url";

/**
 * Rendered by the app layout for a signed-out visit. A layout cannot know the requested path on
 * the server (Next passes none), so the browser supplies it and we come back here after sign-in.
 */
export function SignInRedirect() {
  const t = useTranslations("auth");
  useEffect(() => {
    const here = safeCallbackUrl(window.location.pathname + window.location.search);
    window.location.replace(authHref("/sign-in", { callbackUrl: here }));
  }, []);
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <p className="text-sm text-slate-700" role="status">
        {t("redirecting")}{" "}
        <a href="/sign-in" className="font-medium text-brand-700 underline underline-offset-4">
          {t("goToSignIn")}
        </a>
      </p>
    </main>
  );
}
