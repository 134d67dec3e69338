import { getTranslations } from "next-intl/server";

import { safeCallbackUrl } from "~/components/callback-url";
import { titleMetadata } from "~/components/page-metadata";
import { SignInForm } from "~/components/sign-in-form";
import { Card, CardContent, CardDescription, CardHeader } from "~/components/ui/card";

export const generateMetadata = titleMetadata("auth.signIn");

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const t = await getTranslations("auth.signIn");
  const email = typeof params.email === "string" ? params.email.slice(0, 254) : "";
  return (
    <Card>
      <CardHeader className="gap-2 px-6 pt-6">
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{t("heading")}</h1>
        <CardDescription>{t("description")}</CardDescription>
      </CardHeader>
      <CardContent className="px-6 pb-6">
        <SignInForm callbackUrl={safeCallbackUrl(params.callbackUrl)} defaultEmail={email} />
      </CardContent>
    </Card>
  );
}
