"use client";

import { Plus, Webhook } from "lucide-react";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";

import { api } from "~/trpc/react";
import { Badge } from "../../ui/badge";
import { Banner } from "../../ui/banner";
import { Button, buttonVariants } from "../../ui/button";
import { CardLoadError, CardLoading } from "../../ui/card-query-states";
import { Card, CardContent, CardHeader, CardTitle } from "../../ui/card";
import { Dialog } from "../../ui/dialog";
import { EmptyState } from "../../ui/empty-state";
import { Table, TBody, TD, TH, THead, TR } from "../../ui/table";
import { useErrorMessage } from "../../use-error-message";
import { ConfirmDialog } from "./confirm-dialog";
import { type EndpointRow, eventLabelKey, MAX_ENDPOINTS } from "./constants";
import { EndpointDialog } from "./endpoint-dialog";
import { EndpointStatus } from "./endpoint-status";
import { SecretPanel } from "./secret-panel";

/** Settings → Webhooks: the endpoints, their state, and what can be done with each. */
export function WebhooksManager({ disableAfterHours }: { disableAfterHours: number }) {
  const t = useTranslations("webhooks");
  const tCommon = useTranslations("common");
  const format = useFormatter();
  const { describe, toastError } = useErrorMessage();
  const utils = api.useUtils();
  const list = api.webhooks.list.useQuery();
  const rows = list.data ?? [];
  const [editing, setEditing] = useState<EndpointRow | "new" | null>(null);
  const [deleting, setDeleting] = useState<EndpointRow | null>(null);
  const [rotating, setRotating] = useState<EndpointRow | null>(null);
  const [rotatedSecret, setRotatedSecret] = useState<string | null>(null);

  const remove = api.webhooks.delete.useMutation({
    onSuccess: async () => {
      toast.success(t("delete.done"));
      setDeleting(null);
      await utils.webhooks.list.invalidate();
    },
  });
  const rotate = api.webhooks.rotateSecret.useMutation({
    onSuccess: async (result) => {
      setRotating(null);
      setRotatedSecret(result.secret);
      await utils.webhooks.list.invalidate();
    },
  });
  const sendTest = api.webhooks.sendTest.useMutation({ onSuccess: () => toast.success(t("actions.testSent")), onError: (error) => toastError(error) });
  const toggle = api.webhooks.update.useMutation({
    onSuccess: async (row) => {
      toast.success(row.enabled ? t("actions.enabled") : t("actions.disabled"));
      await utils.webhooks.invalidate();
    },
    onError: (error) => toastError(error),
  });

  const atLimit = rows.length >= MAX_ENDPOINTS;
  const addButton = (
    <Button onClick={() => setEditing("new")} disabled={atLimit}>
      <Plus aria-hidden="true" />
      {t("add")}
    </Button>
  );
  const autoDisabled = rows.filter((r) => r.state === "disabled" && r.disabledReason === "failing" && r.disabledAt);

  return (
    <div className="flex flex-col gap-6">
      {autoDisabled.map((r) => (
        <Banner key={r.id} tone="danger" data-testid="endpoint-disabled-banner">
          {t("disabledBanner", { url: r.url, date: format.dateTime(r.disabledAt!, { dateStyle: "medium", timeStyle: "short" }), hours: disableAfterHours })}
        </Banner>
      ))}
      <Card>
        <CardHeader className="flex-row flex-wrap items-center justify-between gap-3">
          <CardTitle>{t("caption")}</CardTitle>
          {rows.length > 0 && (
            <span className="flex flex-wrap items-center gap-3">
              {atLimit && <span className="text-xs text-slate-600">{t("limitReached", { max: MAX_ENDPOINTS })}</span>}
              {addButton}
            </span>
          )}
        </CardHeader>
        {list.isPending ? (
          <CardLoading />
        ) : list.isError ? (
          <CardLoadError message={`${tCommon("loadError")} ${describe(list.error).message}`} onRetry={() => void list.refetch()} />
        ) : rows.length === 0 ? (
          <CardContent>
            <EmptyState icon={Webhook} title={t("empty")} description={t("emptyDescription")} action={addButton} className="border-none py-6" />
          </CardContent>
        ) : (
          <div className="overflow-x-auto">
            <Table aria-label={t("caption")}>
              <THead>
                <TR>
                  <TH>{t("columns.url")}</TH>
                  <TH>{t("columns.events")}</TH>
                  <TH>{t("columns.status")}</TH>
                  <TH>{t("columns.actions")}</TH>
                </TR>
              </THead>
              <TBody>
                {rows.map((row) => (
                  <TR key={row.id} data-testid="webhook-endpoint-row">
                    <TD className="max-w-xs">
                      <span className="block truncate font-mono text-xs text-slate-900" title={row.url}>
                        {row.url}
                      </span>
                      {row.description && <span className="block text-xs text-slate-600">{row.description}</span>}
                      <span className="block text-xs text-slate-500">{t("secretHint", { hint: row.secretHint })}</span>
                    </TD>
                    <TD>
                      <span className="flex max-w-sm flex-wrap gap-1" aria-label={t("eventsCount", { count: row.events.length })}>
                        {row.events.map((e) => (
                          <Badge key={e} tone="neutral" title={e}>
                            {t.has(eventLabelKey(e)) ? t(eventLabelKey(e)) : e}
                          </Badge>
                        ))}
                      </span>
                    </TD>
                    <TD>
                      <EndpointStatus endpoint={row} />
                    </TD>
                    <TD>
                      <div className="flex flex-wrap gap-1.5" role="group" aria-label={t("actions.menu", { url: row.url })}>
                        <Link href={`/settings/webhooks/${row.id}`} className={buttonVariants({ variant: "secondary", size: "sm" })}>
                          {t("actions.deliveries")}
                        </Link>
                        <Button variant="secondary" size="sm" onClick={() => setEditing(row)}>
                          {t("actions.edit")}
                        </Button>
                        <Button variant="secondary" size="sm" disabled={!row.enabled} pending={sendTest.isPending && sendTest.variables?.id === row.id} onClick={() => sendTest.mutate({ id: row.id })}>
                          {t("actions.sendTest")}
                        </Button>
                        <Button variant="secondary" size="sm" onClick={() => setRotating(row)}>
                          {t("actions.rotate")}
                        </Button>
                        <Button variant="ghost" size="sm" pending={toggle.isPending && toggle.variables?.id === row.id} onClick={() => toggle.mutate({ id: row.id, enabled: !row.enabled })}>
                          {row.enabled ? t("actions.disable") : t("actions.enable")}
                        </Button>
                        <Button variant="danger-outline" size="sm" onClick={() => setDeleting(row)}>
                          {t("actions.delete")}
                        </Button>
                      </div>
                    </TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          </div>
        )}
      </Card>
      <p className="text-sm text-slate-600">
        {t.rich("docsHint", {
          link: (chunks) => (
            <a href="/api/v1/docs" className="font-medium underline" target="_blank" rel="noreferrer">
              {chunks}
            </a>
          ),
        })}
      </p>
      <EndpointDialog open={editing !== null} endpoint={editing === "new" ? null : editing} onClose={() => setEditing(null)} />
      <ConfirmDialog
        open={deleting !== null}
        title={t("delete.title", { url: deleting?.url ?? "" })}
        description={t("delete.description")}
        confirmLabel={t("delete.confirm")}
        pending={remove.isPending}
        error={remove.error ? describe(remove.error).message : null}
        onConfirm={() => deleting && remove.mutate({ id: deleting.id })}
        onClose={() => {
          remove.reset();
          setDeleting(null);
        }}
      />
      <ConfirmDialog
        open={rotating !== null}
        title={t("rotate.title", { url: rotating?.url ?? "" })}
        description={t("rotate.description")}
        confirmLabel={t("rotate.confirm")}
        pending={rotate.isPending}
        error={rotate.error ? describe(rotate.error).message : null}
        onConfirm={() => rotating && rotate.mutate({ id: rotating.id })}
        onClose={() => {
          rotate.reset();
          setRotating(null);
        }}
      />
      <Dialog open={rotatedSecret !== null} onOpenChange={(open) => !open && setRotatedSecret(null)} title={t("secret.title")} closeLabel={tCommon("close")}>
        {rotatedSecret && <SecretPanel secret={rotatedSecret} onDone={() => setRotatedSecret(null)} />}
      </Dialog>
    </div>
  );
}
