import { getTranslations } from "next-intl/server";

import { PlansAdmin } from "~/components/admin/plans-admin";
import { PageHeader } from "~/components/page-header";
import { titleMetadata } from "~/components/page-metadata";

export const generateMetadata = titleMetadata("admin.plans");

export default async function AdminPlansAdminPage() {
  const t = await getTranslations("admin.plans");
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={t("title")} description={t("description")} />
      <PlansAdmin />
    </div>
  );
}
