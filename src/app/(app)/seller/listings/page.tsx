import { Package } from "lucide-react";
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

export const generateMetadata = titleMetadata("listings");

export default async function ListingsPage() {
  if (!(await requireTenant())) return null;
  const [t, tProviders, tCommon, format, listings] = await Promise.all([
    getTranslations("listings"),
    getTranslations("providers"),
    getTranslations("common"),
    getFormatter(),
    api.listings.list({ limit: 50 }),
  ]);
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={t("title")} description={t("description")} />
      <UnderConstruction>{t("banner")}</UnderConstruction>
      {listings.items.length === 0 ? (
        <EmptyState icon={Package} title={t("empty")} description={t("emptyDescription")} />
      ) : (
        <Card>
          <Table>
            <caption className="sr-only">{t("tableCaption")}</caption>
            <THead>
              <TR>
                <TH>{t("titleColumn")}</TH>
                <TH>{t("channel")}</TH>
                <TH>{t("status")}</TH>
                <TH className="text-right">{t("price")}</TH>
                <TH className="text-right">{t("stock")}</TH>
                <TH className="text-right">{t("health")}</TH>
              </TR>
            </THead>
            <TBody>
              {listings.items.map((l) => (
                <TR key={l.id}>
                  <TD className="max-w-xs truncate font-medium">{l.title}</TD>
                  <TD>{tProviders(l.provider)}</TD>
                  <TD>
                    <Badge>{t(`statuses.${l.status}`)}</Badge>
                  </TD>
                  {/* Prices are integer cents; dividing only for display is exact enough. */}
                  <TD className="text-right tabular-nums">{format.number(l.priceCents / 100, { style: "currency", currency: l.currency })}</TD>
                  <TD className="text-right tabular-nums">{l.stock}</TD>
                  <TD className="text-right tabular-nums">{l.healthScore ?? tCommon("none")}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </Card>
      )}
    </div>
  );
}
