"use client";

import { AlertTriangle, ArrowLeft, Plus, Save, Trash2 } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect, useMemo, useState } from "react";
import { toast } from "sonner";

import { ContentMedia } from "~/components/media/content-media";
import { PageHeader } from "~/components/page-header";
import { Banner } from "~/components/ui/banner";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "~/components/ui/card";
import { Dialog, DialogFooter } from "~/components/ui/dialog";
import { FormError, FormField } from "~/components/ui/form-field";
import { Input } from "~/components/ui/input";
import { Select } from "~/components/ui/select";
import { useErrorMessage } from "~/components/use-error-message";
import { SOCIAL_NETWORKS, type SocialNetworkId } from "~/lib/social/networks";
import { validateVariant, type ValidationIssue } from "~/lib/social/validate";
import { api, type RouterOutputs } from "~/trpc/react";
import { ApprovalPanel } from "./approval-panel";
import { ContentStatusBadge } from "./content-status-badge";
import { changesBetween, changesText, emptyVariant, hasChanges, toDraft, variantDraftOf, type EditorDraft } from "./editor-draft";
import { ContentPublications, SchedulePanel } from "./schedule-panel";
import { Textarea } from "./textarea";
import { useContentMediaFacts } from "./use-content-media-facts";
import { VariantEditor } from "./variant-editor";

type Detail = RouterOutputs["content"]["get"];
export type EditorPermissions = { canWrite: boolean; canApprove: boolean; canPublish: boolean };

export function ContentEditor({ id, timeZone, permissions }: { id: string; timeZone: string; permissions: EditorPermissions }) {
  const tCommon = useTranslations("common");
  const { describe } = useErrorMessage();
  // Refetching on focus would not touch the form, but the saved copy must not move under it either.
  const detail = api.content.get.useQuery({ id }, { refetchOnWindowFocus: false });
  if (detail.isPending) return <p className="text-sm text-slate-600">{tCommon("loading")}</p>;
  if (detail.isError)
    return (
      <div role="alert" className="flex items-center gap-3 text-sm text-red-700">
        {describe(detail.error).message}
        <Button size="sm" variant="secondary" onClick={() => void detail.refetch()}>{tCommon("retry")}</Button>
      </div>
    );
  return <EditorForm content={detail.data} timeZone={timeZone} permissions={permissions} />;
}

function EditorForm({ content, timeZone, permissions }: { content: Detail; timeZone: string; permissions: EditorPermissions }) {
  const t = useTranslations("content.editor");
  const tContent = useTranslations("content");
  const tProviders = useTranslations("providers");
  const tCommon = useTranslations("common");
  const { describe } = useErrorMessage();
  const router = useRouter();
  const utils = api.useUtils();
  const { canWrite, canApprove, canPublish } = permissions;

  const saved = useMemo(() => toDraft(content), [content]);
  const [draft, setDraft] = useState<EditorDraft>(saved);
  const [tab, setTab] = useState<SocialNetworkId | null>(() => content.variants[0]?.network ?? null);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<ReturnType<typeof describe> | null>(null);
  const [deleting, setDeleting] = useState(false);

  const campaigns = api.content.campaigns.list.useQuery({ limit: 100 });
  const media = useContentMediaFacts(content.id);

  const changes = changesBetween(saved, draft);
  const dirty = hasChanges(changes);
  const resetsApproval = dirty && changesText(changes) && content.approvalRequired && content.status !== "DRAFT";

  const networks = SOCIAL_NETWORKS.filter((n) => draft.variants[n]);
  const issues = useMemo(() => {
    const all: Partial<Record<SocialNetworkId, ValidationIssue[]>> = {};
    // Until the media list arrives every tab would claim media is missing.
    if (media.loading) return all;
    for (const n of SOCIAL_NETWORKS) {
      const v = draft.variants[n];
      if (v) all[n] = validateVariant(variantDraftOf(n, v), media.facts);
    }
    return all;
  }, [draft.variants, media.facts, media.loading]);
  const savedValidNetworks = SOCIAL_NETWORKS.filter((n) => saved.variants[n] && (issues[n]?.length ?? 0) === 0);
  const activeTab = tab && draft.variants[tab] ? tab : (networks[0] ?? null);

  // Leaving with unsaved edits: the browser asks on reload/close, and in-app links ask here.
  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => event.preventDefault();
    const onClick = (event: MouseEvent) => {
      const anchor = (event.target as Element | null)?.closest?.("a[href]");
      if (!anchor || anchor.getAttribute("target") === "_blank") return;
      if (!window.confirm(t("leaveConfirm"))) {
        event.preventDefault();
        event.stopPropagation();
      }
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    document.addEventListener("click", onClick, true);
    return () => {
      window.removeEventListener("beforeunload", onBeforeUnload);
      document.removeEventListener("click", onClick, true);
    };
  }, [dirty, t]);

  const update = api.content.update.useMutation();
  const upsert = api.content.upsertVariant.useMutation();
  const remove = api.content.removeVariant.useMutation();
  const del = api.content.delete.useMutation({
    onSuccess: async () => {
      toast.success(t("deleted"));
      await utils.content.list.invalidate();
      router.push("/social/content");
    },
  });

  async function save() {
    setSaving(true);
    setSaveError(null);
    try {
      if (changes.content) await update.mutateAsync({ id: content.id, ...changes.content });
      for (const v of changes.upserts) await upsert.mutateAsync({ contentId: content.id, ...v });
      for (const network of changes.removals) await remove.mutateAsync({ contentId: content.id, network });
      toast.success(tCommon("saved"));
    } catch (error) {
      setSaveError(describe(error));
    } finally {
      // Even after a partial failure the saved copy moved: reload it so only what is left stays dirty.
      await utils.content.get.invalidate({ id: content.id });
      const fresh = utils.content.get.getData({ id: content.id });
      if (fresh) setDraft((current) => mergeSaved(current, toDraft(fresh), changes));
      await utils.content.list.invalidate();
      setSaving(false);
    }
  }

  const setVariant = (network: SocialNetworkId, value: EditorDraft["variants"][SocialNetworkId]) =>
    setDraft((d) => ({ ...d, variants: { ...d.variants, [network]: value } }));
  const addNetwork = (network: SocialNetworkId) => {
    setVariant(network, emptyVariant(draft.baseCaption));
    setTab(network);
  };
  const removeNetwork = (network: SocialNetworkId) => {
    if (!window.confirm(t("removeConfirm", { network: tProviders(network) }))) return;
    setDraft((d) => {
      const variants = { ...d.variants };
      delete variants[network];
      return { ...d, variants };
    });
  };
  const onTabKey = (event: React.KeyboardEvent, index: number) => {
    const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = networks[(index + step + networks.length) % networks.length];
    if (next) {
      setTab(next);
      document.getElementById(`variant-tab-${next}`)?.focus();
    }
  };
  const readOnly = !canWrite;

  return (
    <div className="flex flex-col gap-6">
      <Link href="/social/content" className="inline-flex items-center gap-1 self-start text-sm text-brand-700 underline-offset-4 hover:underline">
        <ArrowLeft className="size-4" aria-hidden="true" />
        {t("back")}
      </Link>
      <PageHeader
        title={content.title}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <ContentStatusBadge status={content.status} />
            {content.campaign && <span>{t("inCampaign", { name: content.campaign.name })}</span>}
          </span>
        }
        actions={
          canWrite && (
            <>
              <Button variant="danger-outline" onClick={() => setDeleting(true)}>
                <Trash2 aria-hidden="true" />
                {t("delete")}
              </Button>
              <Button onClick={() => void save()} disabled={!dirty || !draft.title.trim()} pending={saving}>
                <Save aria-hidden="true" />
                {saving ? tCommon("saving") : tCommon("save")}
              </Button>
            </>
          )
        }
      />

      {dirty && (
        <Banner tone={resetsApproval ? "warning" : "info"} role="status">
          {resetsApproval ? t("unsavedResetsApproval", { status: tContent(`statuses.${content.status}`) }) : t("unsaved")}
        </Banner>
      )}
      <FormError message={saveError?.message ?? null} />

      <div className="grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
        <div className="flex flex-col gap-6">
          <Card aria-labelledby="basics-heading">
            <CardHeader>
              <CardTitle id="basics-heading">{t("basics")}</CardTitle>
            </CardHeader>
            <CardContent className="flex flex-col gap-4">
              <FormField label={t("title")} error={saveError?.fields.title}>
                {(control) => <Input {...control} value={draft.title} required maxLength={200} readOnly={readOnly} onChange={(e) => setDraft((d) => ({ ...d, title: e.target.value }))} />}
              </FormField>
              <FormField label={tContent("campaign")} error={saveError?.fields.campaignId}>
                {(control) => (
                  <Select {...control} value={draft.campaignId} disabled={readOnly} onChange={(e) => setDraft((d) => ({ ...d, campaignId: e.target.value }))}>
                    <option value="">{t("noCampaign")}</option>
                    {content.campaign && !campaigns.data?.items.some((c) => c.id === content.campaign?.id) && <option value={content.campaign.id}>{content.campaign.name}</option>}
                    {campaigns.data?.items.map((c) => (
                      <option key={c.id} value={c.id}>
                        {c.name}
                      </option>
                    ))}
                  </Select>
                )}
              </FormField>
              <FormField label={t("baseCaption")} hint={t("baseCaptionHint")}>
                {(control) => <Textarea {...control} rows={5} value={draft.baseCaption} readOnly={readOnly} onChange={(e) => setDraft((d) => ({ ...d, baseCaption: e.target.value }))} />}
              </FormField>
            </CardContent>
          </Card>

          <ContentMedia contentId={content.id} disabled={readOnly} />

          <Card aria-labelledby="variants-heading">
            <CardHeader>
              <CardTitle id="variants-heading">{t("variants")}</CardTitle>
              <p className="text-sm text-slate-600">{t("variantsDescription")}</p>
            </CardHeader>
            <CardContent className="flex flex-col gap-4">
              {networks.length > 0 && (
                <div role="tablist" aria-label={t("variants")} className="flex flex-wrap gap-1 border-b border-slate-200">
                  {networks.map((n, index) => {
                    const count = issues[n]?.length ?? 0;
                    const selected = n === activeTab;
                    return (
                      <button
                        key={n}
                        id={`variant-tab-${n}`}
                        type="button"
                        role="tab"
                        aria-selected={selected}
                        aria-controls={`variant-panel-${n}`}
                        tabIndex={selected ? 0 : -1}
                        onClick={() => setTab(n)}
                        onKeyDown={(e) => onTabKey(e, index)}
                        className={`-mb-px flex items-center gap-1.5 border-b-2 px-3 py-2 text-sm font-medium focus-visible:outline-2 focus-visible:outline-brand-600 ${selected ? "border-brand-700 text-brand-800" : "border-transparent text-slate-600 hover:text-slate-900"}`}
                      >
                        {tProviders(n)}
                        {count > 0 && (
                          <span className="inline-flex items-center gap-0.5 text-amber-800">
                            <AlertTriangle className="size-3.5" aria-hidden="true" />
                            <span className="sr-only">{t("issuesCount", { count })}</span>
                            <span aria-hidden="true">{count}</span>
                          </span>
                        )}
                      </button>
                    );
                  })}
                </div>
              )}
              {activeTab && draft.variants[activeTab] ? (
                <div role="tabpanel" id={`variant-panel-${activeTab}`} aria-labelledby={`variant-tab-${activeTab}`}>
                  <VariantEditor
                    key={activeTab}
                    network={activeTab}
                    value={draft.variants[activeTab]}
                    issues={issues[activeTab] ?? []}
                    baseCaption={draft.baseCaption}
                    readOnly={readOnly}
                    onChange={(value) => setVariant(activeTab, value)}
                    onRemove={() => removeNetwork(activeTab)}
                  />
                </div>
              ) : (
                <p className="text-sm text-slate-600">{t("noVariants")}</p>
              )}
              {canWrite && networks.length < SOCIAL_NETWORKS.length && (
                <div className="flex flex-wrap gap-2 border-t border-slate-100 pt-4">
                  {SOCIAL_NETWORKS.filter((n) => !draft.variants[n]).map((n) => (
                    <Button key={n} size="sm" variant="secondary" onClick={() => addNetwork(n)}>
                      <Plus aria-hidden="true" />
                      {t("addNetwork", { network: tProviders(n) })}
                    </Button>
                  ))}
                </div>
              )}
            </CardContent>
          </Card>
        </div>

        <div className="flex flex-col gap-6">
          <ApprovalPanel content={content} canWrite={canWrite} canApprove={canApprove} dirty={dirty} timeZone={timeZone} />
          <SchedulePanel content={content} validNetworks={savedValidNetworks} dirty={dirty} canPublish={canPublish} timeZone={timeZone} />
        </div>
      </div>

      <ContentPublications contentId={content.id} timeZone={timeZone} />

      <Dialog open={deleting} onOpenChange={setDeleting} title={t("deleteTitle")} description={t("deleteDescription")} closeLabel={tCommon("close")}>
        <FormError message={del.error ? describe(del.error).message : null} />
        <DialogFooter>
          <Button variant="secondary" onClick={() => setDeleting(false)}>
            {tCommon("cancel")}
          </Button>
          <Button variant="danger" pending={del.isPending} onClick={() => del.mutate({ id: content.id })}>
            {t("delete")}
          </Button>
        </DialogFooter>
      </Dialog>
    </div>
  );
}

/**
 * After a save, the fields that were sent take the stored values (the server normalizes them);
 * anything the person typed while the save was running, or that failed, stays as typed.
 */
function mergeSaved(current: EditorDraft, fresh: EditorDraft, sent: ReturnType<typeof changesBetween>): EditorDraft {
  const next: EditorDraft = { ...current, variants: { ...current.variants } };
  if (sent.content?.title !== undefined) next.title = fresh.title;
  if (sent.content?.baseCaption !== undefined) next.baseCaption = fresh.baseCaption;
  if (sent.content && "campaignId" in sent.content) next.campaignId = fresh.campaignId;
  for (const v of sent.upserts) if (fresh.variants[v.network]) next.variants[v.network] = fresh.variants[v.network];
  return next;
}
