"use client";

import { ScrollText } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";

import { api } from "~/trpc/react";
import { Button } from "./ui/button";
import { Card } from "./ui/card";
import { EmptyState } from "./ui/empty-state";
import { Table, TBody, TD, TH, THead, TR } from "./ui/table";
import { useErrorMessage } from "./use-error-message";

export const AUDIT_PAGE_SIZE = 25;

export function AuditLog({ timeZone }: { timeZone: string }) {
  const t = useTranslations("audit");
  const format = useFormatter();
  const { describe } = useErrorMessage();
  const log = api.tenants.audit.useInfiniteQuery(
    { limit: AUDIT_PAGE_SIZE },
    { getNextPageParam: (page) => page.nextCursor ?? undefined },
  );

  if (log.isPending) return <p className="text-sm text-slate-600">{t("loadingMore")}</p>;
  if (log.isError) return <p role="alert" className="text-sm text-red-700">{describe(log.error).message}</p>;
  const entries = log.data.pages.flatMap((page) => page.items);
  if (entries.length === 0) return <EmptyState icon={ScrollText} title={t("empty")} />;

  // Known actions read as sentences; new kinds still show, as their raw name, until translated.
  const label = (action: string) => (t.has(`actions.${action}`) ? t(`actions.${action}`) : action);
  const target = (type: string | null) => (type ? (t.has(`targets.${type}`) ? t(`targets.${type}`) : type) : "—");

  return (
    <div className="flex flex-col gap-4">
      <Card>
        <Table>
          <caption className="sr-only">{t("tableCaption")}</caption>
          <THead>
            <TR>
              <TH>{t("when")}</TH>
              <TH>{t("who")}</TH>
              <TH>{t("what")}</TH>
              <TH>{t("target")}</TH>
            </TR>
          </THead>
          <TBody>
            {entries.map((entry) => (
              <TR key={entry.id}>
                <TD className="whitespace-nowrap text-slate-700">
                  <time dateTime={entry.createdAt.toISOString()}>{format.dateTime(entry.createdAt, { dateStyle: "short", timeStyle: "short", timeZone })}</time>
                </TD>
                <TD>
                  {entry.actor ? (
                    <div className="flex flex-col">
                      <span className="font-medium text-slate-900">{entry.actor.name}</span>
                      <span className="text-xs text-slate-600">{entry.actor.email}</span>
                    </div>
                  ) : (
                    <span className="text-slate-600">{t("system")}</span>
                  )}
                </TD>
                <TD>{label(entry.action)}</TD>
                <TD className="text-slate-700">{target(entry.targetType)}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      </Card>
      {log.hasNextPage ? (
        <Button variant="secondary" className="self-center" pending={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
          {log.isFetchingNextPage ? t("loadingMore") : t("loadMore")}
        </Button>
      ) : (
        <p className="text-center text-sm text-slate-600">{t("end")}</p>
      )}
    </div>
  );
}
