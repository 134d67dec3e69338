import { getTranslations } from "next-intl/server";

import { AdminOverview } from "~/components/admin/admin-overview";
import { PageHeader } from "~/components/page-header";
import { titleMetadata } from "~/components/page-metadata";

export const generateMetadata = titleMetadata("admin.overview");

export default async function AdminAdminOverviewPage() {
  const t = await getTranslations("admin.overview");
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={t("title")} description={t("description")} />
      <AdminOverview />
    </div>
  );
}
