import { FileText } from "lucide-react";
import { getTranslations } from "next-intl/server";

import { PageHeader } from "~/components/page-header";
import { titleMetadata } from "~/components/page-metadata";
import { UnderConstruction } from "~/components/under-construction";
import { Badge } from "~/components/ui/badge";
import { Card } from "~/components/ui/card";
import { EmptyState } from "~/components/ui/empty-state";
import { Table, TBody, TD, TH, THead, TR } from "~/components/ui/table";
import { api } from "~/trpc/server";
import { requireTenant } from "../../_lib/tenant";

export const generateMetadata = titleMetadata("content");

export default async function ContentPage() {
  if (!(await requireTenant())) return null;
  const [t, tProviders, tCommon, content] = await Promise.all([
    getTranslations("content"),
    getTranslations("providers"),
    getTranslations("common"),
    api.content.list({ limit: 50 }),
  ]);
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={t("title")} description={t("description")} />
      <UnderConstruction>{t("banner")}</UnderConstruction>
      {content.items.length === 0 ? (
        <EmptyState icon={FileText} title={t("empty")} description={t("emptyDescription")} />
      ) : (
        <Card>
          <Table>
            <caption className="sr-only">{t("tableCaption")}</caption>
            <THead>
              <TR>
                <TH>{t("titleColumn")}</TH>
                <TH>{t("campaign")}</TH>
                <TH>{t("networks")}</TH>
                <TH>{t("status")}</TH>
              </TR>
            </THead>
            <TBody>
              {content.items.map((c) => (
                <TR key={c.id}>
                  <TD className="font-medium">{c.title}</TD>
                  <TD>{c.campaign?.name ?? tCommon("none")}</TD>
                  <TD>{c.variants.map((v) => tProviders(v.network)).join(", ") || tCommon("none")}</TD>
                  <TD>
                    <Badge>{t(`statuses.${c.status}`)}</Badge>
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </Card>
      )}
    </div>
  );
}
