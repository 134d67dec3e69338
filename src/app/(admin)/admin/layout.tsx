import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import Link from "next/link";

import { AdminNav } from "~/components/admin/admin-nav";
import { authHref, safeCallbackUrl } from "~/components/callback-url";
import { LanguageSwitch } from "~/components/language-switch";
import { Logo } from "~/components/logo";
import { PlatformBanners } from "~/components/platform-banners";
import { UserMenu } from "~/components/user-menu";
import { auth } from "~/server/auth/config";
import { REQUEST_PATH_HEADER } from "~/server/lib/request-meta";
import { platformView } from "~/server/services/platform/view";

/**
 * Platform administration: its own group because the app layout needs an active organization and
 * a platform admin needs none. Anyone else gets a 404 (the area's existence is not revealed).
 */
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const session = await auth();
  const userId = session?.user?.id ?? null;
  if (!userId) {
    const requested = (await headers()).get(REQUEST_PATH_HEADER);
    redirect(authHref("/sign-in", { callbackUrl: safeCallbackUrl(requested) }));
  }
  const platform = await platformView({ userId, organizationId: null });
  if (!platform.isPlatformAdmin) notFound();
  const t = await getTranslations("admin");
  const user = { name: session?.user?.name ?? "", email: session?.user?.email ?? "", isPlatformAdmin: true };
  return (
    <div className="min-h-screen bg-slate-50">
      <header className="sticky top-0 z-30 border-b border-slate-200 bg-white/95 backdrop-blur">
        <div className="mx-auto flex h-16 max-w-6xl items-center gap-3 px-4 sm:px-6 lg:px-8">
          <Logo />
          <span className="rounded-full bg-slate-900 px-2.5 py-0.5 text-xs font-semibold text-white">{t("badge")}</span>
          <div className="ml-auto flex items-center gap-3">
            <Link href="/dashboard" className="hidden text-sm font-medium text-slate-700 hover:text-slate-900 sm:inline">
              {t("backToApp")}
            </Link>
            <LanguageSwitch />
            <UserMenu user={user} />
          </div>
        </div>
        <AdminNav />
      </header>
      <main id="main" className="mx-auto flex w-full max-w-6xl flex-col gap-6 px-4 py-6 sm:px-6 lg:px-8">
        <PlatformBanners maintenance={platform.maintenance} />
        {children}
      </main>
    </div>
  );
}
