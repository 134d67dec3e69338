import Link from "next/link";
import { useTranslations } from "next-intl";

import { LanguageSwitch } from "./language-switch";
import { Logo } from "./logo";

/** The frame of pages used before entering an organization: sign-in, sign-up, invitations. */
export function PublicFrame({ children }: { children: React.ReactNode }) {
  const t = useTranslations("app");
  return (
    <div className="flex min-h-screen flex-col bg-gradient-to-b from-brand-50 to-slate-50">
      <header className="mx-auto flex w-full max-w-5xl items-center justify-between px-4 py-4 sm:px-6">
        <Logo href="/" />
        <LanguageSwitch />
      </header>
      <main id="main" className="flex flex-1 items-start justify-center px-4 pt-4 pb-12 sm:pt-10">
        <div className="w-full max-w-md">{children}</div>
      </main>
      <footer className="flex flex-col items-center gap-1 px-4 pb-6 text-center text-xs text-slate-600">
        <span>{t("tagline")}</span>
        <Link href="/privacy" className="underline-offset-4 hover:underline" data-testid="footer-privacy">
          {t("privacyPolicy")}
        </Link>
      </footer>
    </div>
  );
}
