import Link from "next/link";
import { getTranslations } from "next-intl/server";

import { PageHeader } from "~/components/page-header";
import { titleMetadata } from "~/components/page-metadata";
import { AccountErasureCard } from "~/components/privacy/account-erasure-card";
import { ConsentHistoryCard } from "~/components/privacy/consent-history-card";
import { MyDataCard } from "~/components/privacy/my-data-card";
import { requireTenant } from "../../_lib/tenant";

export const generateMetadata = titleMetadata("privacySettings");

/** The signed-in person's LGPD rights: export, consent history, account erasure. */
export default async function PrivacySettingsPage() {
  const session = await requireTenant();
  if (!session) return null;
  const t = await getTranslations("privacySettings");
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={t("title")} description={t("description")} />
      <MyDataCard />
      <ConsentHistoryCard />
      <AccountErasureCard />
      <p className="text-sm">
        <Link href="/privacy" className="font-medium text-brand-700 hover:underline" data-testid="privacy-policy-link">
          {t("policyLink")}
        </Link>
      </p>
    </div>
  );
}
