"use client";

import { ExternalLink, RotateCcw, Timer } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { toast } from "sonner";

import { Badge } from "~/components/ui/badge";
import { Banner } from "~/components/ui/banner";
import { Button, buttonVariants } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { EmptyState } from "~/components/ui/empty-state";
import { Table, TBody, TD, TH, THead, TR } from "~/components/ui/table";
import { useErrorMessage } from "~/components/use-error-message";
import { api, type RouterOutputs } from "~/trpc/react";

export const JOB_RUNS_PAGE_SIZE = 25;

type Run = RouterOutputs["jobs"]["list"]["items"][number];

const STATUS_TONE = {
  QUEUED: "neutral",
  RUNNING: "info",
  SLEEPING: "violet",
  COMPLETED: "brand",
  FAILED: "danger",
} as const;

export function JobRuns({ canRetry }: { canRetry: boolean }) {
  const t = useTranslations("jobs");
  const format = useFormatter();
  const { describe } = useErrorMessage();
  const utils = api.useUtils();
  const runs = api.jobs.list.useInfiniteQuery(
    { limit: JOB_RUNS_PAGE_SIZE },
    {
      getNextPageParam: (page) => page.nextCursor ?? undefined,
      // Runs move on their own: refresh while the page is open.
      refetchInterval: 5000,
    },
  );
  const retry = api.jobs.retry.useMutation({
    onSuccess: async () => {
      toast.success(t("retried"));
      await utils.jobs.list.invalidate();
    },
    onError: (error) => toast.error(describe(error).message),
  });

  if (runs.isPending) return <p className="text-sm text-slate-600">{t("loadingMore")}</p>;
  if (runs.isError) return <p role="alert" className="text-sm text-red-700">{describe(runs.error).message}</p>;

  const first = runs.data.pages[0];
  if (first?.mode === "inngest") {
    return (
      <Banner tone="info" title={t("inngestModeTitle")}>
        <p>{t("inngestMode")}</p>
        {first.dashboardUrl && (
          <a href={first.dashboardUrl} target="_blank" rel="noreferrer" className={buttonVariants({ variant: "link" })}>
            {t("openDashboard")} <ExternalLink aria-hidden="true" />
          </a>
        )}
      </Banner>
    );
  }

  const items = runs.data.pages.flatMap((page) => page.items);
  const functionName = (run: Run) => {
    if (t.has(`functions.${run.functionSlug}`)) return t(`functions.${run.functionSlug}`);
    // A function's failure handler ("<slug>-failure") is named after the function it cleans up for.
    const handled = run.functionSlug.endsWith("-failure") ? run.functionSlug.slice(0, -"-failure".length) : null;
    return handled && t.has(`functions.${handled}`) ? t("failureHandler", { name: t(`functions.${handled}`) }) : run.functionName;
  };
  const duration = (ms: number) =>
    ms < 1000 ? t("durationMs", { value: ms }) : ms < 60_000 ? t("durationSeconds", { value: ms / 1000 }) : t("durationMinutes", { value: ms / 60_000 });

  return (
    <div className="flex flex-col gap-4">
      <Banner tone="info" title={t("localModeTitle")}>
        {t("localMode")}
      </Banner>
      {items.length === 0 ? (
        <EmptyState icon={Timer} title={t("empty")} />
      ) : (
        <Card>
          <Table>
            <caption className="sr-only">{t("tableCaption")}</caption>
            <THead>
              <TR>
                <TH>{t("function")}</TH>
                <TH>{t("status")}</TH>
                <TH>{t("attempts")}</TH>
                <TH>{t("started")}</TH>
                <TH>{t("duration")}</TH>
                <TH>{t("error")}</TH>
                {canRetry && <TH className="sr-only">{t("actionsColumn")}</TH>}
              </TR>
            </THead>
            <TBody>
              {items.map((run) => (
                <TR key={run.id}>
                  <TD className="font-medium text-slate-900">{functionName(run)}</TD>
                  <TD>
                    <div className="flex flex-col gap-1">
                      <Badge tone={STATUS_TONE[run.status]} className="self-start">
                        {t(`statuses.${run.status}`)}
                      </Badge>
                      {run.nextAttemptAt && (
                        <span className="text-xs text-slate-600">
                          {t("nextAttempt", { time: format.dateTime(run.nextAttemptAt, { timeStyle: "short" }) })}
                        </span>
                      )}
                    </div>
                  </TD>
                  <TD className="whitespace-nowrap">{t("attemptsValue", { attempts: run.attempts, max: run.maxAttempts })}</TD>
                  <TD className="whitespace-nowrap text-slate-700">
                    {run.startedAt ? (
                      <time dateTime={run.startedAt.toISOString()}>{format.dateTime(run.startedAt, { dateStyle: "short", timeStyle: "short" })}</time>
                    ) : (
                      t("notStarted")
                    )}
                  </TD>
                  <TD className="whitespace-nowrap">{run.durationMs === null ? "—" : duration(run.durationMs)}</TD>
                  <TD className="max-w-xs text-xs break-words text-red-800">{run.error ?? ""}</TD>
                  {canRetry && (
                    <TD className="text-right">
                      {run.status === "FAILED" && (
                        <Button
                          variant="secondary"
                          size="sm"
                          pending={retry.isPending && retry.variables?.runId === run.id}
                          onClick={() => retry.mutate({ runId: run.id })}
                        >
                          <RotateCcw aria-hidden="true" />
                          {t("retry")}
                        </Button>
                      )}
                    </TD>
                  )}
                </TR>
              ))}
            </TBody>
          </Table>
        </Card>
      )}
      {runs.hasNextPage ? (
        <Button variant="secondary" className="self-center" pending={runs.isFetchingNextPage} onClick={() => void runs.fetchNextPage()}>
          {runs.isFetchingNextPage ? t("loadingMore") : t("loadMore")}
        </Button>
      ) : (
        items.length > 0 && <p className="text-center text-sm text-slate-600">{t("end")}</p>
      )}
    </div>
  );
}
