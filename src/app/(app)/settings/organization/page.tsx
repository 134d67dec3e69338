import { getFormatter, getTranslations } from "next-intl/server";

import { OrganizationForm } from "~/components/organization-form";
import { OrgErasureCard } from "~/components/privacy/org-erasure-card";
import { OrgTwoFactorSetting } from "~/components/security/org-two-factor-setting";
import { ProductTelemetrySetting } from "~/components/product-telemetry/telemetry-setting";
import { PageHeader } from "~/components/page-header";
import { titleMetadata } from "~/components/page-metadata";
import { Banner } from "~/components/ui/banner";
import { Card, CardContent } from "~/components/ui/card";
import { can, requireTenant } from "../../_lib/tenant";

export const generateMetadata = titleMetadata("organization");

const LOCALE_NAMES: Record<string, string> = { "pt-BR": "Português (Brasil)", en: "English" };

export default async function OrganizationPage() {
  const session = await requireTenant();
  if (!session) return null;
  const { organization } = session.tenant;
  const [t, format] = await Promise.all([getTranslations("organization"), getFormatter()]);
  const editable = can(session.tenant, "org:update");
  // Listed on the server: the same list the server validates against, and no hydration mismatch
  // from a browser whose time-zone database differs.
  const timeZones = Array.from(new Set([...Intl.supportedValuesOf("timeZone"), organization.timeZone])).sort();

  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={t("title")} description={t("description")} />
      {!editable && <Banner tone="info">{t("readOnlyNote")}</Banner>}
      <Card>
        <CardContent className="py-5">
          {editable ? (
            <OrganizationForm
              organization={{ name: organization.name, timeZone: organization.timeZone, locale: organization.locale }}
              timeZones={timeZones}
              localeNames={LOCALE_NAMES}
            />
          ) : (
            <dl className="grid gap-4 sm:grid-cols-2">
              {[
                [t("name"), organization.name],
                [t("timeZone"), organization.timeZone.replaceAll("_", " ")],
                [t("locale"), LOCALE_NAMES[organization.locale] ?? organization.locale],
                [t("createdAt"), format.dateTime(organization.createdAt, { dateStyle: "long" })],
              ].map(([label, value]) => (
                <div key={label} className="flex flex-col gap-0.5">
                  <dt className="text-sm text-slate-600">{label}</dt>
                  <dd className="font-medium text-slate-900">{value}</dd>
                </div>
              ))}
            </dl>
          )}
        </CardContent>
      </Card>
      <OrgTwoFactorSetting />
      <ProductTelemetrySetting />
      <OrgErasureCard />
    </div>
  );
}
