"use client";

import { Ban } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";

import type { RouterOutputs } from "~/trpc/react";
import { Button } from "../../ui/button";
import { Table, TBody, TD, TH, THead, TR } from "../../ui/table";
import { ScopeChips } from "./scope-chips";
import { ApiKeyStatusBadge } from "./status-badge";

export type ApiKeyRow = RouterOutputs["apiKeys"]["list"]["items"][number];

type ApiKeysTableProps = { rows: ApiKeyRow[]; onRevoke: (row: ApiKeyRow) => void; now?: Date };

export function ApiKeysTable({ rows, onRevoke, now }: ApiKeysTableProps) {
  const t = useTranslations("apiKeys");
  const format = useFormatter();
  const day = (d: Date) => format.dateTime(d, { dateStyle: "medium" });

  return (
    <Table aria-label={t("caption")}>
      <THead>
        <TR>
          <TH>{t("columns.name")}</TH>
          <TH>{t("columns.scopes")}</TH>
          <TH>{t("columns.created")}</TH>
          <TH>{t("columns.lastUsed")}</TH>
          <TH>{t("columns.expires")}</TH>
          <TH>{t("columns.status")}</TH>
          <TH>
            <span className="sr-only">{t("columns.actions")}</span>
          </TH>
        </TR>
      </THead>
      <TBody>
        {rows.map((row) => (
          <TR key={row.id} data-testid="api-key-row" data-status={row.status}>
            <TD className="min-w-40">
              <span className="block font-medium text-slate-900">{row.name}</span>
              <code className="text-xs text-slate-600" aria-label={t("columns.prefix")}>
                {`${row.prefix}…`}
              </code>
            </TD>
            <TD className="min-w-48">
              <ScopeChips scopes={row.scopes} />
            </TD>
            <TD className="whitespace-nowrap">
              {day(row.createdAt)}
              <span className="block text-xs text-slate-600">{t("createdBy", { name: row.createdBy.name })}</span>
            </TD>
            <TD className="whitespace-nowrap">
              {row.lastUsedAt ? (
                <>
                  <time dateTime={row.lastUsedAt.toISOString()} title={format.dateTime(row.lastUsedAt, { dateStyle: "medium", timeStyle: "short" })}>
                    {format.relativeTime(row.lastUsedAt, now)}
                  </time>
                  {row.lastUsedIp && <span className="block text-xs text-slate-600">{t("lastUsedFrom", { ip: row.lastUsedIp })}</span>}
                </>
              ) : (
                <span className="text-slate-500">{t("neverUsed")}</span>
              )}
            </TD>
            <TD className="whitespace-nowrap">{row.expiresAt ? day(row.expiresAt) : <span className="text-slate-500">{t("neverExpires")}</span>}</TD>
            <TD>
              <ApiKeyStatusBadge status={row.status} />
              {row.status === "ORPHANED" && <span className="mt-1 block max-w-48 text-xs text-amber-900">{t("orphanedHint")}</span>}
            </TD>
            <TD className="text-right">
              {row.status !== "REVOKED" && (
                <Button variant="danger-outline" size="sm" onClick={() => onRevoke(row)} aria-label={t("revokeLabel", { name: row.name })} title={t("revokeLabel", { name: row.name })}>
                  <Ban aria-hidden="true" />
                  {/* Icon only until the seven columns have room for the word (they fill a 1280 px screen). */}
                  <span className="hidden 2xl:inline">{t("revoke")}</span>
                </Button>
              )}
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
