import { Building } from "lucide-react";
import { useTranslations } from "next-intl";

import { CreateOrganizationForm } from "./create-organization-form";
import { LanguageSwitch } from "./language-switch";
import { AccountErasureCard } from "./privacy/account-erasure-card";
import { Logo } from "./logo";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "./ui/card";
import { UserMenu } from "./user-menu";

/** What a signed-in person sees after leaving (or losing) every organization. */
export function NoOrganization({ user }: { user: { name: string; email: string; isPlatformAdmin?: boolean } }) {
  const t = useTranslations("noOrganization");
  const tOrg = useTranslations("orgSwitcher");
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex h-16 max-w-5xl items-center gap-3 px-4">
          <Logo />
          <div className="ml-auto flex items-center gap-3">
            <LanguageSwitch />
            <UserMenu user={user} />
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto flex max-w-lg flex-col gap-6 px-4 py-10">
        <div className="flex flex-col items-center gap-3 text-center">
          <span className="flex size-12 items-center justify-center rounded-full bg-brand-50 text-brand-700">
            <Building className="size-6" aria-hidden="true" />
          </span>
          <h1 className="text-2xl font-semibold tracking-tight">{t("heading")}</h1>
          <p className="text-sm text-slate-600">{t("description")}</p>
        </div>
        <Card>
          <CardHeader>
            <CardTitle>{tOrg("createTitle")}</CardTitle>
            <CardDescription>{tOrg("createDescription")}</CardDescription>
          </CardHeader>
          <CardContent>
            <CreateOrganizationForm />
          </CardContent>
        </Card>
        {/* Settings → Privacy needs an organization: without one, the LGPD right to erasure lives here. */}
        <AccountErasureCard />
      </main>
    </div>
  );
}
