import { TRPCError } from "@trpc/server";
import { getTranslations } from "next-intl/server";

import { PageHeader } from "~/components/page-header";
import { titleMetadata } from "~/components/page-metadata";
import { SimilarSearch, type SimilarTo } from "~/components/search/similar-search";
import { Banner } from "~/components/ui/banner";
import { api } from "~/trpc/server";
import { can, requireTenant } from "../_lib/tenant";

export const generateMetadata = titleMetadata("search");

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** `?similarTo=listing:<id>` or `content:<id>` (the "Semelhantes" links): the item's title, if it is ours. */
async function similarToOf(value: string | undefined): Promise<SimilarTo | undefined> {
  const [type, id] = value?.split(":") ?? [];
  if (!id || (type !== "listing" && type !== "content")) return undefined;
  try {
    const item = type === "listing" ? await api.listings.get({ id }) : await api.content.get({ id });
    return { type, id, title: item.title };
  } catch (error) {
    // Another organization's item and a missing one look the same: start with an empty search.
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST" || error.code === "FORBIDDEN")) return undefined;
    throw error;
  }
}

export default async function SearchPage({ searchParams }: { searchParams: SearchParams }) {
  const session = await requireTenant();
  if (!session) return null;
  const t = await getTranslations("search");
  const header = <PageHeader title={t("title")} description={t("description")} />;
  if (!can(session.tenant, "listings:read") && !can(session.tenant, "content:read")) {
    return (
      <div className="flex flex-col gap-6">
        {header}
        <Banner tone="info">{t("forbidden")}</Banner>
      </div>
    );
  }
  const params = await searchParams;
  const type = first(params.type);
  return (
    <div className="flex flex-col gap-6">
      {header}
      <SimilarSearch
        initialQuery={first(params.q)?.slice(0, 500) ?? ""}
        initialType={type === "listing" || type === "content" ? type : "all"}
        similarTo={await similarToOf(first(params.similarTo))}
        canReindex={can(session.tenant, "scores:recompute")}
      />
    </div>
  );
}
