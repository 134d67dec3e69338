"use client";

import { ExternalLink, FileText, ReceiptText } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";

import { api } from "~/trpc/react";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "../ui/card";
import { EmptyState } from "../ui/empty-state";
import { Table, TBody, TD, TH, THead, TR } from "../ui/table";
import { useErrorMessage } from "../use-error-message";
import { INVOICES_PAGE_SIZE } from "./constants";

const STATUS_TONE: Record<string, "brand" | "warning" | "neutral" | "danger"> = { paid: "brand", open: "warning", draft: "neutral", void: "neutral", uncollectible: "danger" };

export function InvoicesCard() {
  const t = useTranslations("billing.invoices");
  const format = useFormatter();
  const { describe } = useErrorMessage();
  const list = api.billing.invoices.useInfiniteQuery({ limit: INVOICES_PAGE_SIZE }, { getNextPageParam: (page) => page.nextCursor ?? undefined });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const day = (d: Date) => format.dateTime(d, { dateStyle: "medium" });

  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("title")}</CardTitle>
      </CardHeader>
      {list.isError ? (
        <CardContent className="text-sm text-red-700" role="alert">
          {describe(list.error).message}
        </CardContent>
      ) : !list.isPending && rows.length === 0 ? (
        <CardContent>
          <EmptyState icon={ReceiptText} title={t("empty")} description={t("emptyDescription")} className="border-none py-6" />
        </CardContent>
      ) : (
        <>
          <Table aria-label={t("caption")}>
            <THead>
              <TR>
                <TH>{t("number")}</TH>
                <TH>{t("period")}</TH>
                <TH className="text-right">{t("amount")}</TH>
                <TH>{t("status")}</TH>
                <TH>{t("links")}</TH>
              </TR>
            </THead>
            <TBody>
              {rows.map((invoice) => (
                <TR key={invoice.id} data-testid="invoice-row">
                  <TD className="font-medium">
                    <span className="flex flex-wrap items-center gap-2">
                      {invoice.number ?? <span className="text-slate-500">{t("noNumber")}</span>}
                      {invoice.testMode && <Badge tone="violet">{t("test")}</Badge>}
                    </span>
                    {/* Stripe's description speaks the customer's language; a test invoice's is a fixed English note. */}
                    {invoice.description && !invoice.testMode && <span className="block text-xs font-normal text-slate-500">{invoice.description}</span>}
                  </TD>
                  <TD className="whitespace-nowrap">
                    {invoice.periodStart && invoice.periodEnd ? t("periodRange", { start: day(invoice.periodStart), end: day(invoice.periodEnd) }) : day(invoice.createdAt)}
                  </TD>
                  <TD className="text-right tabular-nums">
                    {format.number((invoice.status === "paid" ? invoice.amountPaidCents : invoice.amountDueCents) / 100, { style: "currency", currency: invoice.currency.toUpperCase() || "BRL" })}
                  </TD>
                  <TD>
                    <Badge tone={STATUS_TONE[invoice.status] ?? "neutral"}>{t.has(`statuses.${invoice.status}`) ? t(`statuses.${invoice.status}`) : invoice.status}</Badge>
                  </TD>
                  <TD>
                    <span className="flex flex-wrap gap-3">
                      {invoice.hostedInvoiceUrl && (
                        <a href={invoice.hostedInvoiceUrl} target="_blank" rel="noreferrer" className="inline-flex items-center gap-1 text-brand-700 hover:underline">
                          <ExternalLink className="size-4" aria-hidden="true" />
                          {t("view")}
                        </a>
                      )}
                      {!invoice.hostedInvoiceUrl && !invoice.invoicePdfUrl && <span className="text-slate-500">{t("noLinks")}</span>}
                      {invoice.invoicePdfUrl && (
                        <a href={invoice.invoicePdfUrl} target="_blank" rel="noreferrer" className="inline-flex items-center gap-1 text-brand-700 hover:underline">
                          <FileText className="size-4" aria-hidden="true" />
                          {t("pdf")}
                        </a>
                      )}
                    </span>
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
          {list.hasNextPage && (
            <CardContent className="flex justify-center border-t border-slate-100">
              <Button variant="secondary" pending={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
                {t("loadMore")}
              </Button>
            </CardContent>
          )}
        </>
      )}
    </Card>
  );
}
