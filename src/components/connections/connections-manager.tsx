"use client";

import { Plug, RefreshCw, Unplug } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";

import { Badge } from "~/components/ui/badge";
import { Banner } from "~/components/ui/banner";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "~/components/ui/card";
import { Dialog, DialogFooter } from "~/components/ui/dialog";
import { EmptyState } from "~/components/ui/empty-state";
import { useErrorMessage } from "~/components/use-error-message";
import { api, type RouterOutputs } from "~/trpc/react";

type Card = RouterOutputs["connectors"]["cards"][number];
type ProviderInfo = RouterOutputs["connectors"]["providers"][number];

const STATUS_TONE = { ACTIVE: "brand", NEEDS_RECONNECT: "warning", ERROR: "danger", DISCONNECTED: "neutral" } as const;

export function ConnectionsManager({ canManage }: { canManage: boolean }) {
  const t = useTranslations("connections");
  const tProviders = useTranslations("providers");
  const [cards] = api.connectors.cards.useSuspenseQuery(undefined, {
    // Progress moves on its own while a sync runs: poll only then.
    // A freshly connected account has no sync row until the runner picks the first sync up.
    refetchInterval: (query) => (query.state.data?.some((c) => c.sync?.state === "RUNNING" || (c.status === "ACTIVE" && !c.sync)) ? 2000 : false),
  });
  const [providers] = api.connectors.providers.useSuspenseQuery();
  const [consentFor, setConsentFor] = useState<ProviderInfo | null>(null);
  const connected = cards.filter((c) => c.kind === "MARKETPLACE").concat(cards.filter((c) => c.kind === "SOCIAL"));

  return (
    <div className="flex flex-col gap-6">
      <Card>
        <CardHeader>
          <CardTitle>{t("connectTitle")}</CardTitle>
          <CardDescription>{t("connectDescription")}</CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-4">
          {(["MARKETPLACE", "SOCIAL"] as const).map((kind) => (
            <div key={kind} className="flex flex-col gap-2">
              <h3 className="text-sm font-medium text-slate-700">{t(`kinds.${kind}`)}</h3>
              <div className="flex flex-wrap gap-3">
                {providers
                  .filter((p) => p.kind === kind)
                  .map((p) => (
                    <Button key={p.provider} variant={kind === "MARKETPLACE" ? "primary" : "secondary"} disabled={!canManage} onClick={() => setConsentFor(p)}>
                      <Plug aria-hidden="true" />
                      {t("connectProvider", { provider: tProviders(p.provider) })}
                    </Button>
                  ))}
              </div>
            </div>
          ))}
          {!canManage && <p className="w-full text-sm text-slate-600">{t("manageForbidden")}</p>}
          {providers.some((p) => p.sandbox) && <p className="w-full text-sm text-slate-600">{t("sandboxNote")}</p>}
        </CardContent>
      </Card>

      {connected.length === 0 ? (
        <EmptyState icon={Plug} title={t("empty")} description={t("emptyDescription")} />
      ) : (
        <ul className="grid gap-4 md:grid-cols-2" aria-label={t("tableCaption")}>
          {connected.map((card) => (
            <li key={card.id}>
              <ConnectionCard card={card} canManage={canManage} onReconnect={() => setConsentFor(providers.find((p) => p.provider === card.provider) ?? null)} />
            </li>
          ))}
        </ul>
      )}

      <ConsentDialog provider={consentFor} onClose={() => setConsentFor(null)} />
    </div>
  );
}

function ConsentDialog({ provider, onClose }: { provider: ProviderInfo | null; onClose: () => void }) {
  const t = useTranslations("connections");
  const tCommon = useTranslations("common");
  const tProviders = useTranslations("providers");
  const [accepted, setAccepted] = useState(false);
  const name = provider ? tProviders(provider.provider) : "";
  // Social accounts are asked for different access than marketplace ones: their own consent text.
  const consent = provider?.kind === "SOCIAL" ? "socialConsent" : "consent";
  const close = () => {
    setAccepted(false);
    onClose();
  };
  return (
    <Dialog open={!!provider} onOpenChange={(open) => !open && close()} title={t("consentTitle", { provider: name })} closeLabel={tCommon("close")}>
      {provider && (
        <>
          <div className="flex flex-col gap-2 text-sm text-slate-700" data-testid="consent-text">
            <p>{t(`${consent}.intro`, { provider: name })}</p>
            <ul className="list-disc pl-5">
              <li>{t(`${consent}.reads`)}</li>
              <li>{t(`${consent}.writes`)}</li>
              <li>{t(`${consent}.storage`)}</li>
              <li>{t(`${consent}.revoke`)}</li>
            </ul>
            <p className="text-xs text-slate-500">{t("consentVersion", { version: provider.consentVersion })}</p>
          </div>
          <label className="flex items-start gap-2 text-sm text-slate-800">
            <input type="checkbox" className="mt-0.5 size-4" checked={accepted} onChange={(e) => setAccepted(e.target.checked)} />
            {t("consentAccept")}
          </label>
          <DialogFooter>
            <Button variant="secondary" onClick={close}>
              {tCommon("cancel")}
            </Button>
            {accepted ? (
              // A same-origin form POST (the route refuses cross-site ones): it sets the flow cookie and
              // redirects to the marketplace.
              <form method="post" action={`/api/v1/auth/${provider.slug}/connect`}>
                <input type="hidden" name="consent" value={provider.consentVersion} />
                <Button type="submit">{t("continueTo", { provider: name })}</Button>
              </form>
            ) : (
              <Button disabled>{t("continueTo", { provider: name })}</Button>
            )}
          </DialogFooter>
        </>
      )}
    </Dialog>
  );
}

function ConnectionCard({ card, canManage, onReconnect }: { card: Card; canManage: boolean; onReconnect: () => void }) {
  const t = useTranslations("connections");
  const tCommon = useTranslations("common");
  const tProviders = useTranslations("providers");
  const format = useFormatter();
  const { describe } = useErrorMessage();
  const utils = api.useUtils();
  const [confirming, setConfirming] = useState(false);
  const disconnect = api.connectors.disconnect.useMutation({
    onSuccess: async () => {
      setConfirming(false);
      toast.success(t("disconnected"));
      await utils.connectors.cards.invalidate();
    },
    onError: (error) => toast.error(describe(error).message),
  });
  const resync = api.connectors.resync.useMutation({
    onSuccess: async () => {
      toast.success(t("resyncQueued"));
      await utils.connectors.cards.invalidate();
    },
    onError: (error) => toast.error(describe(error).message),
  });
  const sync = card.sync;
  const running = sync?.state === "RUNNING";
  const when = (date: Date | null) => (date ? format.dateTime(date, { dateStyle: "medium", timeStyle: "short" }) : tCommon("never"));
  const error = card.lastError ?? (sync?.state === "FAILED" ? sync.lastError : null);

  return (
    <Card data-testid="connection-card" aria-label={`${tProviders(card.provider)} ${card.accountName ?? card.externalAccountId}`}>
      <CardHeader className="flex-row items-start justify-between gap-3">
        <div className="flex flex-col gap-1">
          <CardTitle as="h3">{card.accountName ?? card.externalAccountId}</CardTitle>
          <CardDescription>{tProviders(card.provider)} · {card.externalAccountId}</CardDescription>
        </div>
        <Badge tone={STATUS_TONE[card.status]} data-testid="connection-status">
          {t(`statuses.${card.status}`)}
        </Badge>
      </CardHeader>
      <CardContent className="flex flex-col gap-3 text-sm">
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
          <dt className="text-slate-600">{t("tokenExpiry")}</dt>
          <dd>{card.status === "DISCONNECTED" ? tCommon("none") : when(card.expiresAt)}</dd>
          <dt className="text-slate-600">{t("lastSync")}</dt>
          <dd>{when(card.lastSyncAt)}</dd>
          {card.consentAt && (
            <>
              <dt className="text-slate-600">{t("consentGiven")}</dt>
              <dd>{when(card.consentAt)}</dd>
            </>
          )}
        </dl>
        {card.kind === "MARKETPLACE" && card.status !== "DISCONNECTED" && <SyncProgress sync={sync ?? { state: "RUNNING", mode: "full", processed: 0, total: null, startedAt: null, finishedAt: null, lastError: null }} />}
        {card.blockedUntil && card.blockedUntil > new Date() && <p className="text-amber-800">{t("rateLimitedUntil", { time: when(card.blockedUntil) })}</p>}
        {error && card.status !== "DISCONNECTED" && (
          <Banner tone={card.status === "NEEDS_RECONNECT" ? "warning" : "danger"} data-testid="connection-error">
            {card.status === "NEEDS_RECONNECT" ? t("needsReconnect") : t("lastError", { error })}
          </Banner>
        )}
        {canManage && (
          <div className="flex flex-wrap gap-2">
            {card.status === "ACTIVE" && (
              <Button variant="secondary" size="sm" pending={resync.isPending} disabled={running} onClick={() => resync.mutate({ connectionId: card.id })}>
                <RefreshCw aria-hidden="true" />
                {t("resync")}
              </Button>
            )}
            {(card.status === "NEEDS_RECONNECT" || card.status === "DISCONNECTED") && (
              <Button size="sm" onClick={onReconnect}>
                <Plug aria-hidden="true" />
                {t("reconnect")}
              </Button>
            )}
            {card.status !== "DISCONNECTED" && (
              <Button variant="danger-outline" size="sm" onClick={() => setConfirming(true)}>
                <Unplug aria-hidden="true" />
                {t("disconnect")}
              </Button>
            )}
          </div>
        )}
      </CardContent>
      <Dialog
        open={confirming}
        onOpenChange={setConfirming}
        title={t("disconnectTitle", { account: card.accountName ?? card.externalAccountId })}
        description={t("disconnectBody")}
        closeLabel={tCommon("close")}
      >
        <DialogFooter>
          <Button variant="secondary" onClick={() => setConfirming(false)}>
            {tCommon("cancel")}
          </Button>
          <Button variant="danger" pending={disconnect.isPending} onClick={() => disconnect.mutate({ connectionId: card.id })}>
            {t("disconnect")}
          </Button>
        </DialogFooter>
      </Dialog>
    </Card>
  );
}

function SyncProgress({ sync }: { sync: NonNullable<Card["sync"]> }) {
  const t = useTranslations("connections");
  const format = useFormatter();
  const total = sync.total ?? 0;
  const percent = total > 0 ? Math.min(100, Math.round((sync.processed / total) * 100)) : sync.state === "COMPLETED" ? 100 : 0;
  const label =
    sync.state === "RUNNING"
      ? total > 0
        ? t("syncProgress", { done: format.number(sync.processed), total: format.number(total) })
        : t("syncStarting")
      : sync.state === "COMPLETED"
        ? t("syncDone", { total: format.number(sync.processed) })
        : sync.state === "FAILED"
          ? t("syncFailed", { done: format.number(sync.processed) })
          : t("syncIdle");
  return (
    <div className="flex flex-col gap-1" data-testid="sync-progress">
      <p className="text-slate-700" aria-live="polite">
        {label}
      </p>
      <div className="h-2 overflow-hidden rounded-full bg-slate-100" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-label={label}>
        <div className="h-full rounded-full bg-brand-600 transition-all" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
