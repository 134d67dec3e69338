import { getTranslations } from "next-intl/server";

import { PageHeader } from "~/components/page-header";
import { titleMetadata } from "~/components/page-metadata";
import { PasswordCard } from "~/components/security/password-card";
import { SessionsCard } from "~/components/security/sessions-card";
import { TwoFactorCard } from "~/components/security/two-factor-card";
import { requireTenant } from "../../_lib/tenant";

export const generateMetadata = titleMetadata("security");

/** The signed-in person's own account security: second factor, sessions, password. */
export default async function SecurityPage() {
  // Open to an owner who still lacks the second factor their organization requires: it is where they turn it on.
  const session = await requireTenant({ allowWithoutOwnerTwoFactor: true });
  if (!session) return null;
  const t = await getTranslations("security");
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={t("title")} description={t("description")} />
      <TwoFactorCard />
      <SessionsCard />
      <PasswordCard />
    </div>
  );
}
