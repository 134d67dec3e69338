import { getTranslations } from "next-intl/server";

import { AuthCard, emailParam } from "~/components/auth-card";
import { safeCallbackUrl } from "~/components/callback-url";
import { titleMetadata } from "~/components/page-metadata";
import { SignInForm } from "~/components/sign-in-form";
import { Banner } from "~/components/ui/banner";

export const generateMetadata = titleMetadata("auth.signIn");

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const t = await getTranslations("auth.signIn");
  return (
    <AuthCard heading={t("heading")} description={t("description")}>
      {/* After "Delete my account" (Settings → Privacy) the person lands here, signed out. */}
      {params.erased === "1" && (
        <Banner tone="info" className="mb-4" data-testid="account-erased-notice">
          {t("accountErasedNotice")}
        </Banner>
      )}
      <SignInForm callbackUrl={safeCallbackUrl(params.callbackUrl)} defaultEmail={emailParam(params)} />
    </AuthCard>
  );
}
