"use client";

import { FileText, Package, RefreshCw, Search, Sparkles, Trophy } from "lucide-react";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";

import { api, type RouterOutputs } from "~/trpc/react";
import { Badge } from "../ui/badge";
import { Banner } from "../ui/banner";
import { Button } from "../ui/button";
import { CardLoadError, CardLoading } from "../ui/card-query-states";
import { Card, CardContent } from "../ui/card";
import { EmptyState } from "../ui/empty-state";
import { Input } from "../ui/input";
import { Select } from "../ui/select";
import { useErrorMessage } from "../use-error-message";

type SubjectType = "listing" | "content";
type TypeFilter = "all" | SubjectType;
type Item = RouterOutputs["search"]["similar"]["items"][number];
export type SimilarTo = { type: SubjectType; id: string; title: string };

const typesOf = (filter: TypeFilter): SubjectType[] | undefined => (filter === "all" ? undefined : [filter]);

/** "Buscar semelhantes": a query (or an item) against the organization's listings and content. */
export function SimilarSearch({
  initialQuery = "",
  initialType = "all",
  similarTo,
  canReindex,
}: {
  initialQuery?: string;
  initialType?: TypeFilter;
  similarTo?: SimilarTo;
  canReindex: boolean;
}) {
  const t = useTranslations("search");
  const { describe } = useErrorMessage();
  const [draft, setDraft] = useState(initialQuery);
  const [type, setType] = useState<TypeFilter>(initialType);
  const [submitted, setSubmitted] = useState<{ query?: string; subject?: SimilarTo }>(
    similarTo ? { subject: similarTo } : initialQuery.trim() ? { query: initialQuery.trim() } : {},
  );
  const active = submitted.query !== undefined || submitted.subject !== undefined;
  const search = api.search.similar.useQuery(
    {
      ...(submitted.subject ? { subject: { type: submitted.subject.type, id: submitted.subject.id } } : { query: submitted.query ?? "" }),
      types: typesOf(type),
      limit: 20,
    },
    { enabled: active },
  );
  const reindex = api.search.reindex.useMutation({
    onSuccess: () => toast.success(t("reindex.requested")),
    onError: (error) => toast.error(describe(error).message),
  });

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const query = draft.trim();
    if (query) setSubmitted({ query });
  };

  const result = search.data;
  const winners = pastWinners(result?.items ?? []);
  const nothingIndexed = result && result.indexed.listing + result.indexed.content === 0;
  return (
    <div className="flex flex-col gap-4">
      <form onSubmit={submit} className="flex flex-col gap-2 sm:flex-row sm:items-end" role="search">
        <label className="flex flex-1 flex-col gap-1 text-sm font-medium text-slate-700">
          {t("queryLabel")}
          <Input name="q" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder={t("queryPlaceholder")} maxLength={500} />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          {t("typeLabel")}
          <Select name="type" value={type} onChange={(e) => setType(e.target.value as TypeFilter)}>
            <option value="all">{t("types.all")}</option>
            <option value="listing">{t("types.listing")}</option>
            <option value="content">{t("types.content")}</option>
          </Select>
        </label>
        <Button type="submit" disabled={!draft.trim()}>
          <Search aria-hidden="true" />
          {t("submit")}
        </Button>
      </form>

      {submitted.subject && (
        <p className="text-sm text-slate-700" data-testid="similar-to">
          {t("similarTo", { title: submitted.subject.title })}
        </p>
      )}

      {nothingIndexed && (
        <Banner tone="info" title={t("indexing.title")} data-testid="search-indexing">
          {t("indexing.body")}
        </Banner>
      )}

      {!active ? (
        <EmptyState icon={Sparkles} title={t("empty.startTitle")} description={t("empty.startBody")} />
      ) : search.isError ? (
        <CardLoadError message={describe(search.error).message} onRetry={() => void search.refetch()} />
      ) : search.isPending || !result ? (
        <CardLoading />
      ) : result.items.length === 0 ? (
        <EmptyState icon={Search} title={t("empty.noResultsTitle")} description={t("empty.noResultsBody")} />
      ) : (
        <ol className="flex flex-col gap-3" aria-label={t("resultsLabel")}>
          {result.items.map((item) => (
            <li key={`${item.type}-${item.id}`}>
              <ResultCard item={item} winner={winners.has(item.id)} onSimilar={(subject) => setSubmitted({ subject })} />
            </li>
          ))}
        </ol>
      )}

      <div className="flex flex-wrap items-center justify-between gap-2 text-xs text-slate-500">
        {result ? (
          <span data-testid="search-engine">
            {t("engine", { model: result.model, path: t(`paths.${result.path}`), listings: result.indexed.listing, contents: result.indexed.content })}
          </span>
        ) : (
          <span />
        )}
        {canReindex && (
          <Button variant="ghost" size="sm" pending={reindex.isPending} onClick={() => reindex.mutate()}>
            <RefreshCw aria-hidden="true" />
            {t("reindex.button")}
          </Button>
        )}
      </div>
    </div>
  );
}

/** Engagement per view of a content item (0 without views). */
const engagementRate = (item: Extract<Item, { type: "content" }>) => (item.content.views > 0 ? item.content.engagement / item.content.views : 0);

/**
 * The past winners among the results: the listing with the most sales in 30 days and the content
 * with the best interaction rate — "reuse what worked". None when nobody sold or engaged.
 */
export function pastWinners(items: Item[]): Set<string> {
  const winners = new Set<string>();
  let bestListing: { id: string; value: number } | null = null;
  let bestContent: { id: string; value: number } | null = null;
  for (const item of items) {
    if (item.type === "listing" && item.listing.sales30d > (bestListing?.value ?? 0)) bestListing = { id: item.id, value: item.listing.sales30d };
    if (item.type === "content" && engagementRate(item) > (bestContent?.value ?? 0)) bestContent = { id: item.id, value: engagementRate(item) };
  }
  if (bestListing) winners.add(bestListing.id);
  if (bestContent) winners.add(bestContent.id);
  return winners;
}

function ResultCard({ item, winner, onSimilar }: { item: Item; winner: boolean; onSimilar: (subject: SimilarTo) => void }) {
  const t = useTranslations("search");
  const format = useFormatter();
  const percent = format.number(Math.max(0, item.score), { style: "percent", maximumFractionDigits: 0 });
  const title = item.type === "listing" ? item.listing.title : item.content.title;
  const href = item.type === "listing" ? `/seller/listings/${item.id}` : `/social/content/${item.id}`;
  const figures: [string, string][] =
    item.type === "listing"
      ? [
          [t("figures.sales30d"), format.number(item.listing.sales30d)],
          [t("figures.visits30d"), format.number(item.listing.visits30d)],
          [t("figures.soldTotal"), format.number(item.listing.soldQuantity)],
          [t("figures.price"), format.number(item.listing.priceCents / 100, { style: "currency", currency: "BRL" })],
          [t("figures.health"), item.listing.healthScore === null ? "—" : String(item.listing.healthScore)],
        ]
      : [
          [t("figures.publications"), format.number(item.content.publications)],
          [t("figures.views"), format.number(item.content.views)],
          [t("figures.engagement"), format.number(item.content.engagement)],
          [t("figures.engagementRate"), item.content.views > 0 ? format.number(engagementRate(item), { style: "percent", maximumFractionDigits: 1 }) : "—"],
        ];
  const Icon = item.type === "listing" ? Package : FileText;
  return (
    <Card data-testid="search-result">
      <CardContent className="flex flex-col gap-3 pt-4 sm:flex-row sm:items-start sm:justify-between">
        <div className="flex min-w-0 flex-col gap-1">
          <div className="flex flex-wrap items-center gap-2">
            <Badge>
              <Icon className="size-3" aria-hidden="true" />
              {t(`types.${item.type}`)}
            </Badge>
            <span className="text-sm font-semibold text-brand-800" data-testid="search-score">
              {t("similarity", { percent })}
            </span>
            {winner && (
              <Badge tone="brand" data-testid="search-winner">
                <Trophy className="size-3" aria-hidden="true" />
                {t("winner")}
              </Badge>
            )}
          </div>
          <Link href={href} className="font-medium break-words text-slate-900 hover:underline">
            {title}
          </Link>
          {item.type === "content" && item.content.caption && <p className="line-clamp-2 text-sm text-slate-600">{item.content.caption}</p>}
          <dl className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-sm">
            {figures.map(([label, value]) => (
              <div key={label} className="flex gap-1">
                <dt className="text-slate-600">{label}:</dt>
                <dd className="font-medium text-slate-900">{value}</dd>
              </div>
            ))}
          </dl>
        </div>
        <Button variant="secondary" size="sm" onClick={() => onSimilar({ type: item.type, id: item.id, title })}>
          <Sparkles aria-hidden="true" />
          {t("moreLikeThis")}
        </Button>
      </CardContent>
    </Card>
  );
}
