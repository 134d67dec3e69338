"use client";

import { BookOpen, KeyRound, Plus } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState } from "react";

import { api } from "~/trpc/react";
import { Button } from "../../ui/button";
import { CardLoadError, CardLoadMore, CardLoading } from "../../ui/card-query-states";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../../ui/card";
import { EmptyState } from "../../ui/empty-state";
import { useErrorMessage } from "../../use-error-message";
import { type ApiKeyRow, ApiKeysTable } from "./api-keys-table";
import { API_KEYS_PAGE_SIZE, DOC_LINKS } from "./constants";
import { CreateKeyDialog } from "./create-key-dialog";
import { RevokeKeyDialog } from "./revoke-key-dialog";

/** Settings → API keys: the list, "Nova chave", revocation and where the API is documented. */
export function ApiKeysManager({ now }: { now?: Date }) {
  const t = useTranslations("apiKeys");
  const { describe } = useErrorMessage();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKeyRow | null>(null);
  const list = api.apiKeys.list.useInfiniteQuery({ limit: API_KEYS_PAGE_SIZE }, { getNextPageParam: (page) => page.nextCursor ?? undefined });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const newKey = (
    <Button onClick={() => setCreating(true)}>
      <Plus aria-hidden="true" />
      {t("newKey")}
    </Button>
  );

  return (
    <div className="flex flex-col gap-6">
      <Card>
        <CardHeader className="flex-row flex-wrap items-center justify-between gap-3">
          <CardTitle>{t("title")}</CardTitle>
          {rows.length > 0 && newKey}
        </CardHeader>
        {list.isPending ? (
          <CardLoading />
        ) : list.isError ? (
          <CardLoadError message={`${t("loadError")} ${describe(list.error).message}`} onRetry={() => void list.refetch()} />
        ) : rows.length === 0 ? (
          <CardContent>
            <EmptyState icon={KeyRound} title={t("empty")} description={t("emptyDescription")} action={newKey} className="border-none py-6" />
          </CardContent>
        ) : (
          <>
            <ApiKeysTable rows={rows} onRevoke={setRevoking} now={now} />
            <CardLoadMore hasNextPage={list.hasNextPage} pending={list.isFetchingNextPage} onLoadMore={() => void list.fetchNextPage()} label={t("loadMore")} />
          </>
        )}
      </Card>
      <DocsCard />
      <CreateKeyDialog open={creating} onOpenChange={setCreating} />
      <RevokeKeyDialog apiKey={revoking} onClose={() => setRevoking(null)} />
    </div>
  );
}

function DocsCard() {
  const t = useTranslations("apiKeys.docs");
  const links = [
    { href: DOC_LINKS.reference, label: t("reference") },
    { href: DOC_LINKS.openapi, label: t("openapi") },
    { href: DOC_LINKS.panel, label: t("panel") },
  ];
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <BookOpen className="size-4" aria-hidden="true" />
          {t("title")}
        </CardTitle>
        <CardDescription>{t("intro")}</CardDescription>
      </CardHeader>
      <CardContent>
        <ul className="flex flex-wrap gap-x-6 gap-y-2 text-sm">
          {links.map((link) => (
            <li key={link.href}>
              {/* Plain anchors: these are API routes, not app pages. */}
              <a href={link.href} target="_blank" rel="noreferrer" className="text-brand-700 hover:underline">
                {link.label}
              </a>{" "}
              <code className="text-xs text-slate-500">{link.href}</code>
            </li>
          ))}
        </ul>
      </CardContent>
    </Card>
  );
}
