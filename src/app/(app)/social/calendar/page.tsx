import { CalendarDays } from "lucide-react";
import { getTranslations } from "next-intl/server";

import { PageHeader } from "~/components/page-header";
import { titleMetadata } from "~/components/page-metadata";
import { UnderConstruction } from "~/components/under-construction";
import { EmptyState } from "~/components/ui/empty-state";
import { requireTenant } from "../../_lib/tenant";

export const generateMetadata = titleMetadata("calendar");

// No scheduling procedure exists yet: the page says so instead of showing a fake calendar.
export default async function CalendarPage() {
  if (!(await requireTenant())) return null;
  const t = await getTranslations("calendar");
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={t("title")} description={t("description")} />
      <UnderConstruction>{t("banner")}</UnderConstruction>
      <EmptyState icon={CalendarDays} title={t("empty")} description={t("emptyDescription")} />
    </div>
  );
}
