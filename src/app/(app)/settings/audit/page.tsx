import { getTranslations } from "next-intl/server";

import { AuditLog } from "~/components/audit-log";
import { AUDIT_PAGE_SIZE, auditFilterFromParams } from "~/lib/audit-filter";
import { PageHeader } from "~/components/page-header";
import { titleMetadata } from "~/components/page-metadata";
import { Banner } from "~/components/ui/banner";
import { api, HydrateClient } from "~/trpc/server";
import { can, requireTenant } from "../../_lib/tenant";

export const generateMetadata = titleMetadata("audit");

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const session = await requireTenant();
  if (!session) return null;
  const t = await getTranslations("audit");
  const allowed = can(session.tenant, "audit:read");
  // The filter lives in the URL, so a filtered view can be reloaded, shared with another owner or bookmarked.
  const filter = auditFilterFromParams(await searchParams);
  if (allowed) {
    // A filter the server refuses (an unknown member, a day that does not exist) shows its error on the client.
    await Promise.all([api.tenants.audit.prefetchInfinite({ limit: AUDIT_PAGE_SIZE, ...filter }), api.tenants.auditFacets.prefetch()]).catch(() => undefined);
  }
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={t("title")} description={t("description")} />
      {allowed ? (
        <HydrateClient>
          {/* Times in the organization's own time zone: the log is shared by people who may travel. */}
          <AuditLog timeZone={session.tenant.organization.timeZone} filter={filter} />
        </HydrateClient>
      ) : (
        <Banner tone="info">{t("forbidden")}</Banner>
      )}
    </div>
  );
}
