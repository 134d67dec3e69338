import { ListChecks } from "lucide-react";
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

export const generateMetadata = titleMetadata("actions");

export default async function ActionsPage() {
  if (!(await requireTenant())) return null;
  const [t, tCommon, actions] = await Promise.all([getTranslations("actions"), getTranslations("common"), api.actions.list({ limit: 50 })]);
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={t("title")} description={t("description")} />
      <UnderConstruction>{t("banner")}</UnderConstruction>
      {actions.items.length === 0 ? (
        <EmptyState icon={ListChecks} title={t("empty")} description={t("emptyDescription")} />
      ) : (
        <Card>
          <Table>
            <caption className="sr-only">{t("tableCaption")}</caption>
            <THead>
              <TR>
                <TH>{t("type")}</TH>
                <TH>{t("listing")}</TH>
                <TH>{t("reason")}</TH>
                <TH>{t("status")}</TH>
              </TR>
            </THead>
            <TBody>
              {actions.items.map((a) => (
                <TR key={a.id}>
                  <TD className="font-mono text-xs">{a.type}</TD>
                  <TD>{a.listing?.title ?? tCommon("none")}</TD>
                  <TD className="max-w-md">{a.reason}</TD>
                  <TD>
                    <Badge>{t(`statuses.${a.status}`)}</Badge>
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
