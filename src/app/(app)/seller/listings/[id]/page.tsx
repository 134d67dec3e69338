import { TRPCError } from "@trpc/server";
import { ArrowLeft, ExternalLink, Sparkles } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";

import { ListingActionsSection } from "~/components/actions/listing-actions-section";
import { ListingMetricsChart } from "~/components/listings/metrics-chart";
import { PageHeader } from "~/components/page-header";
import { RecomputeButton } from "~/components/scores/recompute-button";
import { ScorePanel } from "~/components/scores/score-panel";
import { Badge } from "~/components/ui/badge";
import { buttonVariants } from "~/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "~/components/ui/card";
import { api, HydrateClient } from "~/trpc/server";
import { can, requireTenant } from "../../../_lib/tenant";

type Params = Promise<{ id: string }>;

async function load(id: string) {
  try {
    return await api.listings.get({ id });
  } catch (error) {
    // Another organization's listing and a missing one look the same.
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) return null;
    throw error;
  }
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const t = await getTranslations("listings");
  const listing = await load((await params).id).catch(() => null);
  return { title: listing ? listing.title : t("title") };
}

export default async function ListingDetailPage({ params }: { params: Params }) {
  const session = await requireTenant();
  if (!session) return null;
  const { id } = await params;
  const listing = await load(id);
  if (!listing) notFound();
  const [t, tProviders, tCommon, tScore, tSearch, format] = await Promise.all([
    getTranslations("listings"),
    getTranslations("providers"),
    getTranslations("common"),
    getTranslations("scorePanel"),
    getTranslations("search"),
    getFormatter(),
  ]);
  await Promise.all([api.listings.metrics.prefetch({ id, days: 30 }), api.scores.listing.prefetch({ listingId: id })]);
  const facts: [string, React.ReactNode][] = [
    [t("channel"), `${tProviders(listing.provider)} · ${listing.accountName}`],
    [t("externalId"), listing.externalId],
    [t("category"), listing.categoryId ?? tCommon("none")],
    [t("price"), format.number(listing.priceCents / 100, { style: "currency", currency: listing.currency })],
    [t("stock"), listing.stock],
    [t("sold"), listing.soldQuantity],
    [t("pictures"), listing.pictureCount],
    [t("freeShipping"), listing.freeShipping ? t("yes") : t("no")],
    [t("gtin"), listing.gtin ?? tCommon("none")],
    [t("health"), listing.healthScore ?? tCommon("none")],
    [t("syncedAt"), listing.syncedAt ? format.dateTime(listing.syncedAt, { dateStyle: "medium", timeStyle: "short" }) : tCommon("never")],
  ];
  return (
    <div className="flex flex-col gap-6">
      <Link href="/seller/listings" className={buttonVariants({ variant: "link" }) + " self-start"}>
        <ArrowLeft aria-hidden="true" />
        {t("backToList")}
      </Link>
      <PageHeader
        title={listing.title}
        description={<Badge>{t(`statuses.${listing.status}`)}</Badge>}
        actions={
          <>
            <Link href={`/search?similarTo=listing:${id}`} className={buttonVariants({ variant: "secondary" })} data-testid="listing-similar">
              <Sparkles aria-hidden="true" /> {tSearch("similarLink")}
            </Link>
            {listing.permalink && (
              <a href={listing.permalink} target="_blank" rel="noreferrer" className={buttonVariants({ variant: "secondary" })}>
                {t("openOnMarketplace")} <ExternalLink aria-hidden="true" />
              </a>
            )}
          </>
        }
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2" data-testid="listing-score">
          <CardHeader className="flex flex-row items-center justify-between gap-2">
            <CardTitle>{tScore("title")}</CardTitle>
            {can(session.tenant, "scores:recompute") && (
              <HydrateClient>
                <RecomputeButton listingId={id} size="sm" />
              </HydrateClient>
            )}
          </CardHeader>
          <CardContent>
            <HydrateClient>
              <ScorePanel listingId={id} />
            </HydrateClient>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>{t("detailsTitle")}</CardTitle>
          </CardHeader>
          <CardContent>
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
              {facts.map(([label, value]) => (
                <div key={label} className="contents">
                  <dt className="text-slate-600">{label}</dt>
                  <dd className="break-words text-slate-900">{value}</dd>
                </div>
              ))}
            </dl>
          </CardContent>
        </Card>
        <Card className="lg:col-span-3">
          <CardHeader>
            <CardTitle>{t("metricsTitle")}</CardTitle>
          </CardHeader>
          <CardContent>
            <HydrateClient>
              <ListingMetricsChart listingId={id} />
            </HydrateClient>
          </CardContent>
        </Card>
      </div>
      <ListingActionsSection listingId={id} />
    </div>
  );
}
