import { getTranslations } from "next-intl/server";

import { OrganizationsAdmin } from "~/components/admin/organizations-admin";
import { PageHeader } from "~/components/page-header";
import { titleMetadata } from "~/components/page-metadata";

export const generateMetadata = titleMetadata("admin.organizations");

export default async function AdminOrganizationsAdminPage() {
  const t = await getTranslations("admin.organizations");
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={t("title")} description={t("description")} />
      <OrganizationsAdmin />
    </div>
  );
}
