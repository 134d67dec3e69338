"use client";

import { BarChart3, ExternalLink, Plug, RefreshCw } from "lucide-react";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { toast } from "sonner";

import { NETWORK_DOT, NETWORKS, type Network } from "~/components/calendar/network-style";
import { NetworkToggles } from "~/components/calendar/network-toggles";
import { Banner } from "~/components/ui/banner";
import { Button, buttonVariants } from "~/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "~/components/ui/card";
import { cn } from "~/components/ui/cn";
import { EmptyState } from "~/components/ui/empty-state";
import { Label } from "~/components/ui/label";
import { Select } from "~/components/ui/select";
import { Table, TBody, TD, TH, THead, TR } from "~/components/ui/table";
import { useErrorMessage } from "~/components/use-error-message";
import { api, type RouterOutputs } from "~/trpc/react";

type Range = 7 | 30 | 90;
type Metric = "followers" | "views" | "reach" | "engagements";
type Sort = "views" | "engagement" | "recent";
type Overview = RouterOutputs["analytics"]["overview"];
type Kpis = Overview["total"];
type Post = RouterOutputs["analytics"]["posts"]["items"][number];

const RANGES: Range[] = [7, 30, 90];
const METRICS: Metric[] = ["followers", "views", "reach", "engagements"];
const PAGE_SIZE = 20;
/** After "refresh now", poll a little while for the background sync's result. */
const POLL_AFTER_SYNC_MS = 90_000;

/** Line colours per network (the chip colours, as hex for the SVG). */
const NETWORK_STROKE: Record<Network, string> = { INSTAGRAM: "#db2777", TIKTOK: "#0f172a", YOUTUBE: "#dc2626" };
const ACCOUNT_STROKES = { followers: "#0369a1", views: "#16a34a", engagements: "#9333ea" } as const;

export function AnalyticsDashboard({ canSync, timeZone }: { canSync: boolean; timeZone: string }) {
  const t = useTranslations("socialAnalytics");
  const tNetworks = useTranslations("providers");
  const format = useFormatter();
  const { describe } = useErrorMessage();
  const utils = api.useUtils();
  const [range, setRange] = useState<Range>(30);
  const [networks, setNetworks] = useState<Network[]>(NETWORKS);
  const [syncAsked, setSyncAsked] = useState(0);
  const [pollingOn, setPollingOn] = useState(false);
  useEffect(() => {
    if (syncAsked === 0) return;
    const timer = setTimeout(() => setPollingOn(false), POLL_AFTER_SYNC_MS);
    return () => clearTimeout(timer);
  }, [syncAsked]);

  const polling = pollingOn ? 5_000 : false;
  const filter = networks.length < NETWORKS.length ? networks : undefined;
  const overview = api.analytics.overview.useQuery({ range, networks: filter }, { refetchInterval: polling });
  const series = api.analytics.accountSeries.useQuery({ range }, { refetchInterval: polling });

  const sync = api.analytics.syncNow.useMutation({
    onSuccess: (result) => {
      if (result.queued === 0) toast.info(t("syncNothing"));
      else toast.success(t("syncQueued", { count: result.queued }));
      setPollingOn(true);
      setSyncAsked((n) => n + 1);
      void utils.analytics.invalidate();
    },
    onError: (error) => toast.error(describe(error).message),
  });

  // At least one network stays selected (no selection would read as "all" to the server).
  const toggleNetwork = (n: Network) =>
    setNetworks((list) => (list.includes(n) ? (list.length > 1 ? list.filter((x) => x !== n) : list) : NETWORKS.filter((x) => x === n || list.includes(x))));

  if (overview.isPending) return <p className="text-sm text-slate-600">{t("loading")}</p>;
  if (overview.isError)
    return (
      <div role="alert" className="flex items-center gap-3 rounded-xl border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900">
        <span>{describe(overview.error).message}</span>
        <Button size="sm" variant="secondary" onClick={() => void overview.refetch()}>
          {t("retry")}
        </Button>
      </div>
    );

  const data = overview.data;
  const noAccounts = data.accounts.length === 0 && networks.length === NETWORKS.length;
  if (noAccounts)
    return (
      <EmptyState
        icon={Plug}
        title={t("noAccounts")}
        description={t("noAccountsDescription")}
        action={
          <Link href="/settings/connections" className={buttonVariants({ size: "sm" })}>
            {t("connect")}
          </Link>
        }
      />
    );

  // A disconnected account was removed on purpose: its history stays, without a warning.
  const failing = data.accounts.filter((a) => a.status !== "DISCONNECTED" && (a.syncError || a.status !== "ACTIVE"));

  return (
    <div className="flex flex-col gap-6">
      <Card className="flex flex-wrap items-end gap-4 p-4" role="group" aria-label={t("filtersLabel")}>
        <div className="flex flex-col gap-1">
          <span className="text-sm font-medium text-slate-800" id="range-label">
            {t("range")}
          </span>
          <div className="inline-flex rounded-lg border border-slate-300 bg-white p-0.5" role="group" aria-labelledby="range-label">
            {RANGES.map((r) => (
              <button
                key={r}
                type="button"
                aria-pressed={range === r}
                onClick={() => setRange(r)}
                className={cn("rounded-md px-3 py-1.5 text-sm font-medium", range === r ? "bg-brand-700 text-white" : "text-slate-700 hover:bg-slate-100")}
              >
                {t("rangeDays", { days: r })}
              </button>
            ))}
          </div>
        </div>
        <div className="flex flex-col gap-1">
          <span className="text-sm font-medium text-slate-800" id="network-label">
            {t("networks")}
          </span>
          <div className="flex flex-wrap gap-2" role="group" aria-labelledby="network-label">
            <NetworkToggles selected={networks} onToggle={toggleNetwork} size="md" />
          </div>
        </div>
        <div className="ml-auto flex flex-col items-end gap-1">
          <p className="text-xs text-slate-600" data-testid="analytics-last-sync">
            {data.lastSyncedAt ? t("lastSync", { when: format.dateTime(data.lastSyncedAt, { timeZone, dateStyle: "short", timeStyle: "short" }) }) : t("neverSynced")}
          </p>
          {canSync && (
            <Button variant="secondary" size="sm" pending={sync.isPending} onClick={() => sync.mutate({})}>
              <RefreshCw aria-hidden="true" />
              {t("syncNow")}
            </Button>
          )}
        </div>
      </Card>

      {failing.length > 0 && (
        <Banner tone="warning" title={t("syncProblems")}>
          <ul className="list-disc pl-4">
            {failing.map((a) => (
              <li key={a.connectionId}>
                {tNetworks(a.network)} {a.accountName ?? ""}: {a.status !== "ACTIVE" ? t("needsReconnect") : a.syncError}
              </li>
            ))}
          </ul>
        </Banner>
      )}

      {!data.hasData ? (
        <EmptyState icon={BarChart3} title={t("noData")} description={t("noDataDescription")} />
      ) : (
        <>
          <section aria-labelledby="kpi-heading" className="flex flex-col gap-3">
            <h2 id="kpi-heading" className="text-base font-semibold text-slate-900">
              {t("kpiTitle", { days: range })}
            </h2>
            <KpiCards kpis={data.total} />
            {data.networks.length > 1 && <NetworkTable networks={data.networks} />}
          </section>
          <NetworkChart series={series.data} loading={series.isPending} networks={networks} />
          <AccountChart series={series.data} />
          <TopPosts range={range} />
        </>
      )}
      {data.hasData && <PostsTable range={range} networks={networks} timeZone={timeZone} />}
    </div>
  );
}

function useNumbers() {
  const format = useFormatter();
  return {
    n: (v: number | null) => (v === null ? "—" : format.number(v)),
    pct: (v: number | null) => (v === null ? "—" : format.number(v, { style: "percent", maximumFractionDigits: 2 })),
    signed: (v: number | null) => (v === null ? "—" : format.number(v, { signDisplay: "exceptZero" })),
  };
}

function KpiCards({ kpis }: { kpis: Kpis }) {
  const t = useTranslations("socialAnalytics");
  const { n, pct, signed } = useNumbers();
  const cards = [
    { key: "followers", value: n(kpis.followers), note: kpis.followersGrowth === null ? null : t("growth", { value: signed(kpis.followersGrowth) }) },
    { key: "views", value: n(kpis.views), note: null },
    { key: "reach", value: n(kpis.reach), note: null },
    { key: "engagements", value: n(kpis.engagements), note: null },
    { key: "engagementRate", value: pct(kpis.engagementRate), note: null },
    { key: "postsPublished", value: n(kpis.postsPublished), note: null },
  ] as const;
  return (
    <dl className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6" data-testid="analytics-kpis">
      {cards.map((c) => (
        <Card key={c.key} className="flex flex-col gap-1 p-4">
          <dt className="text-xs font-medium text-slate-600">{t(`kpis.${c.key}`)}</dt>
          <dd className="text-2xl font-semibold text-slate-900 tabular-nums">{c.value}</dd>
          {c.note && <dd className="text-xs text-slate-600">{c.note}</dd>}
        </Card>
      ))}
    </dl>
  );
}

function NetworkTable({ networks }: { networks: Overview["networks"] }) {
  const t = useTranslations("socialAnalytics");
  const tNetworks = useTranslations("providers");
  const { n, pct, signed } = useNumbers();
  return (
    <Card>
      <Table>
        <caption className="sr-only">{t("perNetwork")}</caption>
        <THead>
          <TR>
            <TH>{t("network")}</TH>
            <TH className="text-right">{t("kpis.followers")}</TH>
            <TH className="text-right">{t("kpis.followersGrowth")}</TH>
            <TH className="text-right">{t("kpis.views")}</TH>
            <TH className="text-right">{t("kpis.engagements")}</TH>
            <TH className="text-right">{t("kpis.engagementRate")}</TH>
            <TH className="text-right">{t("kpis.postsPublished")}</TH>
          </TR>
        </THead>
        <TBody>
          {networks.map((row) => (
            <TR key={row.network}>
              <TH scope="row" className="font-medium normal-case">
                <span className="inline-flex items-center gap-1.5">
                  <span className={cn("size-2 rounded-full", NETWORK_DOT[row.network])} aria-hidden="true" />
                  {tNetworks(row.network)}
                </span>
              </TH>
              <TD className="text-right tabular-nums">{n(row.followers)}</TD>
              <TD className="text-right tabular-nums">{signed(row.followersGrowth)}</TD>
              <TD className="text-right tabular-nums">{n(row.views)}</TD>
              <TD className="text-right tabular-nums">{n(row.engagements)}</TD>
              <TD className="text-right tabular-nums">{pct(row.engagementRate)}</TD>
              <TD className="text-right tabular-nums">{n(row.postsPublished)}</TD>
            </TR>
          ))}
        </TBody>
      </Table>
    </Card>
  );
}

type Series = RouterOutputs["analytics"]["accountSeries"] | undefined;

const dayLabel = (format: ReturnType<typeof useFormatter>) => (day: string) => format.dateTime(new Date(`${day}T12:00:00Z`), { timeZone: "UTC", day: "2-digit", month: "2-digit" });

function NetworkChart({ series, loading, networks }: { series: Series; loading: boolean; networks: Network[] }) {
  const t = useTranslations("socialAnalytics");
  const tNetworks = useTranslations("providers");
  const format = useFormatter();
  const [metric, setMetric] = useState<Metric>("followers");
  const shown = (series?.networks ?? []).filter((s) => networks.includes(s.network));
  const data = (series?.days ?? []).map((date, i) => ({
    date,
    ...Object.fromEntries(shown.map((s) => [s.network, s.points[i]?.[metric] ?? null])),
  }));
  return (
    <Card>
      <CardHeader className="flex-row flex-wrap items-end justify-between gap-3">
        <div>
          <CardTitle>{t("networkChart")}</CardTitle>
          <CardDescription>{t("networkChartDescription")}</CardDescription>
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor="network-metric">{t("metric")}</Label>
          <Select id="network-metric" value={metric} onChange={(e) => setMetric(e.target.value as Metric)}>
            {METRICS.map((m) => (
              <option key={m} value={m}>
                {t(`kpis.${m}`)}
              </option>
            ))}
          </Select>
        </div>
      </CardHeader>
      <CardContent>
        {loading ? (
          <p className="text-sm text-slate-600">{t("loading")}</p>
        ) : (
          <div className="h-72 w-full" role="img" aria-label={t("networkChartLabel", { metric: t(`kpis.${metric}`) })} data-testid="analytics-network-chart">
            <ResponsiveContainer width="100%" height="100%">
              <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
                <XAxis dataKey="date" tickFormatter={dayLabel(format)} fontSize={12} minTickGap={16} />
                <YAxis fontSize={12} width={56} tickFormatter={(v: number) => format.number(v, { notation: "compact" })} />
                <Tooltip labelFormatter={(v) => dayLabel(format)(String(v))} formatter={(v) => format.number(Number(v))} />
                <Legend />
                {shown.map((s) => (
                  <Line key={s.network} type="monotone" dataKey={s.network} name={tNetworks(s.network)} stroke={NETWORK_STROKE[s.network]} strokeWidth={2} dot={false} connectNulls isAnimationActive={false} />
                ))}
              </LineChart>
            </ResponsiveContainer>
          </div>
        )}
      </CardContent>
    </Card>
  );
}

function AccountChart({ series }: { series: Series }) {
  const t = useTranslations("socialAnalytics");
  const tNetworks = useTranslations("providers");
  const format = useFormatter();
  const accounts = series?.accounts ?? [];
  const [chosen, setChosen] = useState<string | null>(null);
  const account = accounts.find((a) => a.connectionId === chosen) ?? accounts[0];
  if (!account) return null;
  const data = account.points.map((p) => ({ date: p.date, followers: p.followers, views: p.views, engagements: p.engagements }));
  return (
    <Card>
      <CardHeader className="flex-row flex-wrap items-end justify-between gap-3">
        <div>
          <CardTitle>{t("accountChart")}</CardTitle>
          <CardDescription>{t("accountChartDescription")}</CardDescription>
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor="account-choice">{t("account")}</Label>
          <Select id="account-choice" value={account.connectionId} onChange={(e) => setChosen(e.target.value)}>
            {accounts.map((a) => (
              <option key={a.connectionId} value={a.connectionId}>
                {tNetworks(a.network)} · {a.accountName ?? a.connectionId}
              </option>
            ))}
          </Select>
        </div>
      </CardHeader>
      <CardContent>
        <div className="h-72 w-full" role="img" aria-label={t("accountChartLabel", { account: account.accountName ?? tNetworks(account.network) })} data-testid="analytics-account-chart">
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
              <XAxis dataKey="date" tickFormatter={dayLabel(format)} fontSize={12} minTickGap={16} />
              <YAxis yAxisId="followers" fontSize={12} width={56} tickFormatter={(v: number) => format.number(v, { notation: "compact" })} />
              <YAxis yAxisId="daily" orientation="right" fontSize={12} width={56} tickFormatter={(v: number) => format.number(v, { notation: "compact" })} />
              <Tooltip labelFormatter={(v) => dayLabel(format)(String(v))} formatter={(v) => format.number(Number(v))} />
              <Legend />
              {(["followers", "views", "engagements"] as const).map((m) => (
                <Line
                  key={m}
                  yAxisId={m === "followers" ? "followers" : "daily"}
                  type="monotone"
                  dataKey={m}
                  name={t(`kpis.${m}`)}
                  stroke={ACCOUNT_STROKES[m]}
                  strokeWidth={2}
                  dot={false}
                  connectNulls
                  isAnimationActive={false}
                />
              ))}
            </LineChart>
          </ResponsiveContainer>
        </div>
      </CardContent>
    </Card>
  );
}

function TopPosts({ range }: { range: Range }) {
  const t = useTranslations("socialAnalytics");
  const tNetworks = useTranslations("providers");
  const { n, signed } = useNumbers();
  const top = api.analytics.topPosts.useQuery({ range, limit: 5 });
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("topPosts")}</CardTitle>
        <CardDescription>{t("topPostsDescription")}</CardDescription>
      </CardHeader>
      <CardContent>
        {top.isPending ? (
          <p className="text-sm text-slate-600">{t("loading")}</p>
        ) : top.isError ? (
          <p role="alert" className="text-sm text-red-700">
            {t("loadError")}
          </p>
        ) : top.data.length === 0 ? (
          <p className="text-sm text-slate-600">{t("noPosts")}</p>
        ) : (
          <ol className="flex flex-col divide-y divide-slate-100" data-testid="analytics-top-posts">
            {top.data.map((post, i) => (
              <li key={post.id} className="flex flex-wrap items-center gap-x-4 gap-y-1 py-2.5">
                <span className="w-5 text-sm font-semibold text-slate-500 tabular-nums">{i + 1}</span>
                <div className="flex min-w-0 flex-1 flex-col">
                  <Link href={`/social/content/${post.contentId}`} className="truncate font-medium text-slate-900 hover:underline">
                    {post.contentTitle}
                  </Link>
                  <span className="text-xs text-slate-600">
                    {tNetworks(post.network)}
                    {post.accountName ? ` · ${post.accountName}` : ""}
                  </span>
                </div>
                <span className="text-sm text-slate-800 tabular-nums">{t("engagementsCount", { value: n(post.metrics?.engagements ?? null) })}</span>
                <span className="text-sm text-slate-600 tabular-nums">{t("viewsCount", { value: n(post.metrics?.views ?? null) })}</span>
                {post.growth && <span className="text-xs text-emerald-800 tabular-nums">{t("growthViews", { value: signed(post.growth.views) })}</span>}
              </li>
            ))}
          </ol>
        )}
      </CardContent>
    </Card>
  );
}

function PostsTable({ range, networks, timeZone }: { range: Range; networks: Network[]; timeZone: string }) {
  const t = useTranslations("socialAnalytics");
  const tNetworks = useTranslations("providers");
  const format = useFormatter();
  const { n, pct, signed } = useNumbers();
  const [sort, setSort] = useState<Sort>("views");
  const [network, setNetwork] = useState<Network | "">("");
  const effective = network || (networks.length === 1 ? networks[0] : undefined);
  const list = api.analytics.posts.useInfiniteQuery(
    { range, sort, limit: PAGE_SIZE, network: effective },
    { getNextPageParam: (page) => page.nextCursor ?? undefined },
  );
  const rows: Post[] = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card>
      <CardHeader className="flex-row flex-wrap items-end justify-between gap-3">
        <div>
          <CardTitle>{t("postsTitle")}</CardTitle>
          <CardDescription>{t("postsDescription")}</CardDescription>
        </div>
        <div className="flex flex-wrap gap-3">
          <div className="flex flex-col gap-1">
            <Label htmlFor="posts-network">{t("network")}</Label>
            <Select id="posts-network" value={network} onChange={(e) => setNetwork(e.target.value as Network | "")}>
              <option value="">{t("allNetworks")}</option>
              {NETWORKS.map((x) => (
                <option key={x} value={x}>
                  {tNetworks(x)}
                </option>
              ))}
            </Select>
          </div>
          <div className="flex flex-col gap-1">
            <Label htmlFor="posts-sort">{t("sort")}</Label>
            <Select id="posts-sort" value={sort} onChange={(e) => setSort(e.target.value as Sort)}>
              {(["views", "engagement", "recent"] as const).map((s) => (
                <option key={s} value={s}>
                  {t(`sorts.${s}`)}
                </option>
              ))}
            </Select>
          </div>
        </div>
      </CardHeader>
      {list.isPending ? (
        <CardContent>
          <p className="text-sm text-slate-600">{t("loading")}</p>
        </CardContent>
      ) : list.isError ? (
        <CardContent>
          <p role="alert" className="text-sm text-red-700">
            {t("loadError")}
          </p>
        </CardContent>
      ) : rows.length === 0 ? (
        <CardContent>
          <p className="text-sm text-slate-600">{t("noPosts")}</p>
        </CardContent>
      ) : (
        <Table data-testid="analytics-posts">
          <caption className="sr-only">{t("postsTitle")}</caption>
          <THead>
            <TR>
              <TH>{t("columns.content")}</TH>
              <TH>{t("columns.network")}</TH>
              <TH>{t("columns.publishedAt")}</TH>
              <TH className="text-right">{t("kpis.views")}</TH>
              <TH className="text-right">{t("kpis.engagements")}</TH>
              <TH className="text-right">{t("kpis.engagementRate")}</TH>
              <TH className="text-right">{t("columns.growth")}</TH>
              <TH>
                <span className="sr-only">{t("columns.link")}</span>
              </TH>
            </TR>
          </THead>
          <TBody>
            {rows.map((post) => (
              <TR key={post.id}>
                <TD className="max-w-64">
                  <Link href={`/social/content/${post.contentId}`} className="line-clamp-2 font-medium text-slate-900 hover:underline">
                    {post.contentTitle}
                  </Link>
                </TD>
                <TD className="whitespace-nowrap">
                  <span className="inline-flex items-center gap-1.5">
                    <span className={cn("size-2 rounded-full", NETWORK_DOT[post.network])} aria-hidden="true" />
                    {tNetworks(post.network)}
                  </span>
                  {post.accountName && <span className="block text-xs text-slate-600">{post.accountName}</span>}
                </TD>
                <TD className="whitespace-nowrap">{post.publishedAt ? format.dateTime(post.publishedAt, { timeZone, dateStyle: "medium" }) : "—"}</TD>
                <TD className="text-right tabular-nums">{n(post.metrics?.views ?? null)}</TD>
                <TD className="text-right tabular-nums">{n(post.metrics?.engagements ?? null)}</TD>
                <TD className="text-right tabular-nums">{pct(post.metrics?.engagementRate ?? null)}</TD>
                <TD className="text-right tabular-nums">{post.growth ? t("growthViews", { value: signed(post.growth.views) }) : "—"}</TD>
                <TD>
                  {post.permalink && (
                    <a href={post.permalink} target="_blank" rel="noopener noreferrer" className="inline-flex items-center gap-1 text-brand-700 hover:underline">
                      <ExternalLink className="size-4" aria-hidden="true" />
                      <span className="sr-only">{t("openOnNetwork", { network: tNetworks(post.network) })}</span>
                    </a>
                  )}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
      {list.hasNextPage && (
        <CardContent className="flex justify-center">
          <Button variant="secondary" pending={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            {t("loadMore")}
          </Button>
        </CardContent>
      )}
    </Card>
  );
}
