import { getTranslations } from "next-intl/server";

import { PageHeader } from "~/components/page-header";
import { titleMetadata } from "~/components/page-metadata";
import { Banner } from "~/components/ui/banner";
import { api, HydrateClient } from "~/trpc/server";
import { can, requireTenant } from "../../_lib/tenant";
import { JOB_RUNS_PAGE_SIZE, JobRuns } from "./job-runs";

export const generateMetadata = titleMetadata("jobs");

export default async function JobsPage() {
  const session = await requireTenant();
  if (!session) return null;
  const t = await getTranslations("jobs");
  const allowed = can(session.tenant, "jobs:read");
  if (allowed) await api.jobs.list.prefetchInfinite({ limit: JOB_RUNS_PAGE_SIZE });
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={t("title")} description={t("description")} />
      {allowed ? (
        <HydrateClient>
          <JobRuns canRetry={can(session.tenant, "jobs:retry")} />
        </HydrateClient>
      ) : (
        <Banner tone="info">{t("forbidden")}</Banner>
      )}
    </div>
  );
}
