import { Plug } from "lucide-react";
import { getFormatter, getTranslations } from "next-intl/server";

import { PageHeader } from "~/components/page-header";
import { titleMetadata } from "~/components/page-metadata";
import { UnderConstruction } from "~/components/under-construction";
import { Badge } from "~/components/ui/badge";
import { Card } from "~/components/ui/card";
import { EmptyState } from "~/components/ui/empty-state";
import { Table, TBody, TD, TH, THead, TR } from "~/components/ui/table";
import { api } from "~/trpc/server";
import { requireTenant } from "../../_lib/tenant";

export const generateMetadata = titleMetadata("connections");

const STATUS_TONE = { ACTIVE: "brand", NEEDS_RECONNECT: "warning", ERROR: "danger", DISCONNECTED: "neutral" } as const;

export default async function ConnectionsPage() {
  if (!(await requireTenant())) return null;
  const [t, tProviders, tCommon, format, connections] = await Promise.all([
    getTranslations("connections"),
    getTranslations("providers"),
    getTranslations("common"),
    getFormatter(),
    api.connectors.list(),
  ]);
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={t("title")} description={t("description")} />
      <UnderConstruction>{t("banner")}</UnderConstruction>
      {connections.length === 0 ? (
        <EmptyState icon={Plug} title={t("empty")} description={t("emptyDescription")} />
      ) : (
        <Card>
          <Table>
            <caption className="sr-only">{t("tableCaption")}</caption>
            <THead>
              <TR>
                <TH>{t("provider")}</TH>
                <TH>{t("account")}</TH>
                <TH>{t("status")}</TH>
                <TH>{t("lastSync")}</TH>
              </TR>
            </THead>
            <TBody>
              {connections.map((c) => (
                <TR key={c.id}>
                  <TD className="font-medium">{tProviders(c.provider)}</TD>
                  <TD>{c.accountName ?? c.externalAccountId}</TD>
                  <TD>
                    <Badge tone={STATUS_TONE[c.status]}>{t(`statuses.${c.status}`)}</Badge>
                  </TD>
                  <TD className="whitespace-nowrap">{c.lastSyncAt ? format.dateTime(c.lastSyncAt, { dateStyle: "medium", timeStyle: "short" }) : tCommon("never")}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </Card>
      )}
    </div>
  );
}
