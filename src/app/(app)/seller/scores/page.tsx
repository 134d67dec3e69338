import { Gauge } from "lucide-react";
import { getTranslations } from "next-intl/server";

import { PageHeader } from "~/components/page-header";
import { titleMetadata } from "~/components/page-metadata";
import { ScoreBands } from "~/components/score-bands";
import { UnderConstruction } from "~/components/under-construction";
import { Card, CardContent } from "~/components/ui/card";
import { EmptyState } from "~/components/ui/empty-state";
import { api } from "~/trpc/server";
import { requireTenant } from "../../_lib/tenant";

export const generateMetadata = titleMetadata("scores");

export default async function ScoresPage() {
  if (!(await requireTenant())) return null;
  const [t, summary] = await Promise.all([getTranslations("scores"), api.scores.summary()]);
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={t("title")} description={t("description")} />
      <UnderConstruction>{t("banner")}</UnderConstruction>
      {summary.total === 0 ? (
        <EmptyState icon={Gauge} title={t("empty")} description={t("emptyDescription")} />
      ) : (
        <Card>
          <CardContent>
            <ScoreBands summary={summary} />
          </CardContent>
        </Card>
      )}
    </div>
  );
}
