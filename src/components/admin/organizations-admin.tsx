"use client";

import { Building2, Search } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";

import { api, type RouterOutputs } from "~/trpc/react";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { EmptyState } from "../ui/empty-state";
import { Input } from "../ui/input";
import { Select } from "../ui/select";
import { Table, TBody, TD, TH, THead, TR } from "../ui/table";
import { useErrorMessage } from "../use-error-message";
import { ReasonDialog } from "./reason-dialog";
import { LoadError, Loading } from "./shared";

type Org = RouterOutputs["admin"]["organizations"]["items"][number];
const PAGE_SIZE = 20;

export function OrganizationsAdmin() {
  const t = useTranslations("admin.organizations");
  const tLimits = useTranslations("limits");
  const format = useFormatter();
  const { describe, toastError } = useErrorMessage();
  const utils = api.useUtils();
  const [search, setSearch] = useState("");
  const [query, setQuery] = useState("");
  const [status, setStatus] = useState<"" | "ACTIVE" | "SUSPENDED">("");
  const [suspending, setSuspending] = useState<Org | null>(null);
  const list = api.admin.organizations.useInfiniteQuery(
    { limit: PAGE_SIZE, search: query || undefined, status: status || undefined },
    { getNextPageParam: (page) => page.nextCursor ?? undefined },
  );
  const refresh = () => Promise.all([utils.admin.organizations.invalidate(), utils.admin.metrics.invalidate()]);
  const suspend = api.admin.suspendOrganization.useMutation({
    onSuccess: async (org) => {
      toast.success(t("suspended", { name: org.name }));
      setSuspending(null);
      await refresh();
    },
  });
  const reactivate = api.admin.reactivateOrganization.useMutation({
    onSuccess: async (org) => {
      toast.success(t("reactivated", { name: org.name }));
      await refresh();
    },
    onError: (error) => toastError(error),
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div className="flex flex-col gap-4">
      <form
        role="search"
        className="flex flex-col gap-2 sm:flex-row"
        onSubmit={(event) => {
          event.preventDefault();
          setQuery(search.trim());
        }}
      >
        <Input type="search" aria-label={t("searchLabel")} placeholder={t("searchPlaceholder")} value={search} onChange={(e) => setSearch(e.target.value)} className="sm:max-w-sm" />
        <Select aria-label={t("statusFilter")} value={status} onChange={(e) => setStatus(e.target.value as typeof status)} className="sm:w-48">
          <option value="">{t("allStatuses")}</option>
          <option value="ACTIVE">{t("status.ACTIVE")}</option>
          <option value="SUSPENDED">{t("status.SUSPENDED")}</option>
        </Select>
        <Button type="submit" variant="secondary">
          <Search aria-hidden="true" />
          {t("search")}
        </Button>
      </form>

      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <LoadError error={list.error} retry={() => void list.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState icon={Building2} title={t("emptyTitle")} description={query ? t("emptySearch", { query }) : t("emptyDescription")} />
      ) : (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
          <Table>
            <THead>
              <TR>
                <TH>{t("organization")}</TH>
                <TH>{t("plan")}</TH>
                <TH>{t("usage")}</TH>
                <TH className="text-right">{t("members")}</TH>
                <TH>{t("statusLabel")}</TH>
                <TH>{t("createdAt")}</TH>
                <TH>
                  <span className="sr-only">{t("actions")}</span>
                </TH>
              </TR>
            </THead>
            <TBody>
              {rows.map((org) => (
                <TR key={org.id}>
                  <TD>
                    <p className="font-medium text-slate-900">{org.name}</p>
                    <p className="text-xs text-slate-500">{org.slug}</p>
                  </TD>
                  <TD>
                    <p>{org.plan.name}</p>
                    <p className="text-xs text-slate-500">{org.subscriptionStatus ? t(`subscription.${org.subscriptionStatus}`) : t("noSubscription")}</p>
                  </TD>
                  <TD>
                    <ul className="flex flex-col gap-0.5 text-xs text-slate-700">
                      {org.usage.map((u) => (
                        <li key={u.key} className={u.used > u.limit ? "font-semibold text-red-700" : undefined}>
                          {t("usageRow", { name: tLimits(u.key), used: u.used, limit: u.limit })}
                        </li>
                      ))}
                    </ul>
                  </TD>
                  <TD className="text-right">{format.number(org.members)}</TD>
                  <TD>
                    <Badge tone={org.status === "SUSPENDED" ? "danger" : "brand"}>{t(`status.${org.status}`)}</Badge>
                    {org.status === "SUSPENDED" && (
                      <p className="mt-1 max-w-48 text-xs text-slate-600">
                        {org.suspendedAt && format.dateTime(org.suspendedAt, { dateStyle: "short" })} · {org.suspendedReason}
                      </p>
                    )}
                  </TD>
                  <TD>{format.dateTime(org.createdAt, { dateStyle: "medium" })}</TD>
                  <TD className="text-right">
                    {org.status === "SUSPENDED" ? (
                      <Button size="sm" variant="secondary" pending={reactivate.isPending && reactivate.variables?.organizationId === org.id} onClick={() => reactivate.mutate({ organizationId: org.id })}>
                        {t("reactivate")}
                      </Button>
                    ) : (
                      <Button
                        size="sm"
                        variant="danger-outline"
                        onClick={() => {
                          suspend.reset();
                          setSuspending(org);
                        }}
                      >
                        {t("suspend")}
                      </Button>
                    )}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </div>
      )}
      {list.hasNextPage && (
        <Button variant="secondary" className="self-center" pending={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
          {t("loadMore")}
        </Button>
      )}

      <ReasonDialog
        key={suspending?.id ?? "none"}
        open={suspending !== null}
        onOpenChange={(open) => !open && setSuspending(null)}
        title={t("suspendTitle", { name: suspending?.name ?? "" })}
        description={t("suspendDescription")}
        confirmLabel={t("suspend")}
        pending={suspend.isPending}
        error={suspend.error ? describe(suspend.error).message : null}
        onConfirm={(reason) => suspending && suspend.mutate({ organizationId: suspending.id, reason })}
      />
    </div>
  );
}
