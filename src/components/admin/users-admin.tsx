"use client";

import { Search, Users } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";

import { api, type RouterOutputs } from "~/trpc/react";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { EmptyState } from "../ui/empty-state";
import { Input } from "../ui/input";
import { Table, TBody, TD, TH, THead, TR } from "../ui/table";
import { useErrorMessage } from "../use-error-message";
import { ReasonDialog } from "./reason-dialog";
import { LoadError, Loading } from "./shared";

type User = RouterOutputs["admin"]["users"]["items"][number];
const PAGE_SIZE = 20;

export function UsersAdmin() {
  const t = useTranslations("admin.users");
  const format = useFormatter();
  const { describe, toastError } = useErrorMessage();
  const utils = api.useUtils();
  const [search, setSearch] = useState("");
  const [query, setQuery] = useState("");
  const [banning, setBanning] = useState<User | null>(null);
  const list = api.admin.users.useInfiniteQuery({ limit: PAGE_SIZE, search: query || undefined }, { getNextPageParam: (page) => page.nextCursor ?? undefined });
  const ban = api.admin.banUser.useMutation({
    onSuccess: async () => {
      toast.success(t("banned", { email: banning?.email ?? "" }));
      setBanning(null);
      await utils.admin.users.invalidate();
    },
  });
  const unban = api.admin.unbanUser.useMutation({
    onSuccess: async () => {
      toast.success(t("unbanned"));
      await utils.admin.users.invalidate();
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
        <EmptyState icon={Users} title={t("emptyTitle")} description={query ? t("emptySearch", { query }) : undefined} />
      ) : (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
          <Table>
            <THead>
              <TR>
                <TH>{t("person")}</TH>
                <TH className="text-right">{t("organizations")}</TH>
                <TH>{t("statusLabel")}</TH>
                <TH>{t("createdAt")}</TH>
                <TH>
                  <span className="sr-only">{t("actions")}</span>
                </TH>
              </TR>
            </THead>
            <TBody>
              {rows.map((user) => (
                <TR key={user.id}>
                  <TD>
                    <p className="font-medium text-slate-900">{user.name}</p>
                    <p className="text-xs text-slate-500">{user.email}</p>
                  </TD>
                  <TD className="text-right">{format.number(user.organizations)}</TD>
                  <TD>
                    <div className="flex flex-wrap gap-1">
                      {user.isPlatformAdmin && <Badge tone="violet">{t("admin")}</Badge>}
                      {user.bannedAt ? <Badge tone="danger">{t("bannedSince", { date: format.dateTime(user.bannedAt, { dateStyle: "short" }) })}</Badge> : <Badge>{t("active")}</Badge>}
                    </div>
                  </TD>
                  <TD>{format.dateTime(user.createdAt, { dateStyle: "medium" })}</TD>
                  <TD className="text-right">
                    {user.isPlatformAdmin ? null : user.bannedAt ? (
                      <Button size="sm" variant="secondary" pending={unban.isPending && unban.variables?.userId === user.id} onClick={() => unban.mutate({ userId: user.id })}>
                        {t("unban")}
                      </Button>
                    ) : (
                      <Button
                        size="sm"
                        variant="danger-outline"
                        onClick={() => {
                          ban.reset();
                          setBanning(user);
                        }}
                      >
                        {t("ban")}
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
        key={banning?.id ?? "none"}
        open={banning !== null}
        onOpenChange={(open) => !open && setBanning(null)}
        title={t("banTitle", { email: banning?.email ?? "" })}
        description={t("banDescription")}
        confirmLabel={t("ban")}
        pending={ban.isPending}
        error={ban.error ? describe(ban.error).message : null}
        onConfirm={(reason) => banning && ban.mutate({ userId: banning.id, reason })}
      />
    </div>
  );
}
