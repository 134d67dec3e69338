import { getTranslations } from "next-intl/server";

import { FlagsAdmin } from "~/components/admin/flags-admin";
import { PageHeader } from "~/components/page-header";
import { titleMetadata } from "~/components/page-metadata";

export const generateMetadata = titleMetadata("admin.flags");

export default async function AdminFlagsAdminPage() {
  const t = await getTranslations("admin.flags");
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={t("title")} description={t("description")} />
      <FlagsAdmin />
    </div>
  );
}
