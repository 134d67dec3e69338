import { getTranslations } from "next-intl/server";

import { PageHeader } from "~/components/page-header";
import { titleMetadata } from "~/components/page-metadata";
import { RecomputeButton } from "~/components/scores/recompute-button";
import { ScoresOverview } from "~/components/scores/scores-overview";
import { WeightsEditor } from "~/components/scores/weights-editor";
import { api, HydrateClient } from "~/trpc/server";
import { can, requireTenant } from "../../_lib/tenant";

export const generateMetadata = titleMetadata("scores");

export default async function ScoresPage() {
  const session = await requireTenant();
  if (!session) return null;
  const t = await getTranslations("scores");
  const canRecompute = can(session.tenant, "scores:recompute");
  // The weights editor is for those who may change them (managers and owners).
  const canConfigure = can(session.tenant, "scores:configure");
  await Promise.all([api.scores.summary.prefetch(), canConfigure ? api.scores.weights.prefetch() : null]);
  return (
    <HydrateClient>
      <div className="flex flex-col gap-6">
        <PageHeader title={t("title")} description={t("description")} actions={canRecompute ? <RecomputeButton /> : undefined} />
        <ScoresOverview />
        {canConfigure && <WeightsEditor />}
      </div>
    </HydrateClient>
  );
}
