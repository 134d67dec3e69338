import { getTranslations } from "next-intl/server";

import { AuthCard, emailParam } from "~/components/auth-card";
import { safeCallbackUrl } from "~/components/callback-url";
import { titleMetadata } from "~/components/page-metadata";
import { SignInForm } from "~/components/sign-in-form";

export const generateMetadata = titleMetadata("auth.signIn");

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const t = await getTranslations("auth.signIn");
  return (
    <AuthCard heading={t("heading")} description={t("description")}>
      <SignInForm callbackUrl={safeCallbackUrl(params.callbackUrl)} defaultEmail={emailParam(params)} />
    </AuthCard>
  );
}
