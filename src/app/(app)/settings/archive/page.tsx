import { getTranslations } from "next-intl/server";

import { PageHeader } from "~/components/page-header";
import { titleMetadata } from "~/components/page-metadata";
import { Banner } from "~/components/ui/banner";
import { api, HydrateClient } from "~/trpc/server";
import { can, requireTenant } from "../../_lib/tenant";
import { ArchivePanel } from "./archive-panel";

export const generateMetadata = titleMetadata("archive");

export default async function ArchivePage() {
  const session = await requireTenant();
  if (!session) return null;
  const t = await getTranslations("archive");
  const allowed = can(session.tenant, "connections:manage");
  if (allowed) await api.archive.list.prefetch(undefined);
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={t("title")} description={t("description")} />
      {allowed ? (
        <HydrateClient>
          <ArchivePanel />
        </HydrateClient>
      ) : (
        <Banner tone="info">{t("forbidden")}</Banner>
      )}
    </div>
  );
}
