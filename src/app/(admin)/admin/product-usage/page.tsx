import { getTranslations } from "next-intl/server";

import { ProductUsageAdmin } from "~/components/admin/product-usage-admin";
import { PageHeader } from "~/components/page-header";
import { titleMetadata } from "~/components/page-metadata";

export const generateMetadata = titleMetadata("productTelemetry.dashboard");

export default async function AdminProductUsagePage() {
  const t = await getTranslations("productTelemetry.dashboard");
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={t("title")} description={t("description")} />
      <ProductUsageAdmin />
    </div>
  );
}
