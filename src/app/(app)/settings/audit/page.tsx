import { getTranslations } from "next-intl/server";

import { AuditLog, AUDIT_PAGE_SIZE } from "~/components/audit-log";
import { PageHeader } from "~/components/page-header";
import { titleMetadata } from "~/components/page-metadata";
import { Banner } from "~/components/ui/banner";
import { api, HydrateClient } from "~/trpc/server";
import { can, requireTenant } from "../../_lib/tenant";

export const generateMetadata = titleMetadata("audit");

export default async function AuditPage() {
  const session = await requireTenant();
  if (!session) return null;
  const t = await getTranslations("audit");
  const allowed = can(session.tenant, "audit:read");
  if (allowed) await api.tenants.audit.prefetchInfinite({ limit: AUDIT_PAGE_SIZE });
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={t("title")} description={t("description")} />
      {allowed ? (
        <HydrateClient>
          {/* Times in the organization's own time zone: the log is shared by people who may travel. */}
          <AuditLog timeZone={session.tenant.organization.timeZone} />
        </HydrateClient>
      ) : (
        <Banner tone="info">{t("forbidden")}</Banner>
      )}
    </div>
  );
}
