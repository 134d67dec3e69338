import { getTranslations } from "next-intl/server";

import { AuthCard, emailParam } from "~/components/auth-card";
import { safeCallbackUrl } from "~/components/callback-url";
import { titleMetadata } from "~/components/page-metadata";
import { SignUpForm } from "~/components/sign-up-form";

export const generateMetadata = titleMetadata("auth.signUp");

export default async function SignUpPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const t = await getTranslations("auth.signUp");
  return (
    <AuthCard heading={t("heading")} description={t("description")}>
      <SignUpForm callbackUrl={safeCallbackUrl(params.callbackUrl)} defaultEmail={emailParam(params)} />
    </AuthCard>
  );
}
