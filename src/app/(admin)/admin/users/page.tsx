import { getTranslations } from "next-intl/server";

import { UsersAdmin } from "~/components/admin/users-admin";
import { PageHeader } from "~/components/page-header";
import { titleMetadata } from "~/components/page-metadata";

export const generateMetadata = titleMetadata("admin.users");

export default async function AdminUsersAdminPage() {
  const t = await getTranslations("admin.users");
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={t("title")} description={t("description")} />
      <UsersAdmin />
    </div>
  );
}
