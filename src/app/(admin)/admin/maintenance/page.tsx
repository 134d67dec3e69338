import { getTranslations } from "next-intl/server";

import { MaintenanceAdmin } from "~/components/admin/maintenance-admin";
import { PageHeader } from "~/components/page-header";
import { titleMetadata } from "~/components/page-metadata";

export const generateMetadata = titleMetadata("admin.maintenance");

export default async function AdminMaintenanceAdminPage() {
  const t = await getTranslations("admin.maintenance");
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={t("title")} description={t("description")} />
      <MaintenanceAdmin />
    </div>
  );
}
