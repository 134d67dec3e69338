"use client";

import { Bot, Pencil, Plus, Trash2, X } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";

import { Badge } from "~/components/ui/badge";
import { Banner } from "~/components/ui/banner";
import { Button } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { cn } from "~/components/ui/cn";
import { Dialog } from "~/components/ui/dialog";
import { EmptyState } from "~/components/ui/empty-state";
import { FormError, FormField } from "~/components/ui/form-field";
import { fieldClasses, Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { Select } from "~/components/ui/select";
import { useErrorMessage } from "~/components/use-error-message";
import { api, type RouterInputs, type RouterOutputs } from "~/trpc/react";

const NETWORKS = ["INSTAGRAM", "TIKTOK", "YOUTUBE"] as const;
type Network = (typeof NETWORKS)[number];
type Automation = RouterOutputs["engagement"]["automations"]["list"][number];
type Draft = RouterInputs["engagement"]["automations"]["create"];

const EMPTY: Draft = { name: "", keywords: [], replyTemplate: "", useAi: false, perThreadLimit: 1, networks: [], enabled: true };

export function AutomationsView({ canManage }: { canManage: boolean }) {
  const t = useTranslations("automations");
  const tProviders = useTranslations("providers");
  const { describe } = useErrorMessage();
  const utils = api.useUtils();
  const list = api.engagement.automations.list.useQuery();
  const [editing, setEditing] = useState<Automation | "new" | null>(null);
  const [removing, setRemoving] = useState<Automation | null>(null);

  const update = api.engagement.automations.update.useMutation({
    onSuccess: async () => {
      toast.success(t("saved"));
      await utils.engagement.automations.list.invalidate();
    },
    onError: (error) => toast.error(describe(error).message),
  });
  const remove = api.engagement.automations.remove.useMutation({
    onSuccess: async () => {
      toast.success(t("removed"));
      setRemoving(null);
      await utils.engagement.automations.list.invalidate();
    },
    onError: (error) => toast.error(describe(error).message),
  });

  return (
    <div className="flex flex-col gap-4">
      {!canManage && <Banner tone="info">{t("readOnly")}</Banner>}
      {canManage && editing === null && (
        <Button className="self-start" onClick={() => setEditing("new")}>
          <Plus aria-hidden="true" />
          {t("new")}
        </Button>
      )}
      {editing !== null && (
        <AutomationForm
          key={editing === "new" ? "new" : editing.id}
          initial={editing === "new" ? null : editing}
          onDone={async () => {
            setEditing(null);
            await utils.engagement.automations.list.invalidate();
          }}
        />
      )}

      {list.isPending ? (
        <p className="text-sm text-slate-600" role="status">{t("loading")}</p>
      ) : list.isError ? (
        <p role="alert" className="text-sm text-red-700">{describe(list.error).message}</p>
      ) : list.data.length === 0 ? (
        <EmptyState icon={Bot} title={t("empty")} description={t("emptyDescription")} />
      ) : (
        <ol className="flex flex-col gap-3" aria-label={t("listCaption")}>
          {list.data.map((a) => (
            <li key={a.id}>
              <Card className="flex flex-col gap-3 p-4">
                <div className="flex flex-wrap items-center gap-2">
                  <h2 className="font-semibold text-slate-900">{a.name}</h2>
                  <Badge tone={a.enabled ? "brand" : "neutral"}>{a.enabled ? t("enabled") : t("disabled")}</Badge>
                  {a.useAi && <Badge tone="violet">{t("aiBadge")}</Badge>}
                  <Badge tone="info">{t("limitBadge", { count: a.perThreadLimit })}</Badge>
                  <span className="text-xs text-slate-600">{a.networks.length === 0 ? t("allNetworks") : a.networks.map((n) => tProviders(n)).join(", ")}</span>
                </div>
                <ul className="flex flex-wrap gap-1.5" aria-label={t("form.keywords")}>
                  {a.keywords.map((k) => (
                    <li key={k}><Badge>{k}</Badge></li>
                  ))}
                </ul>
                <p className="text-sm whitespace-pre-wrap text-slate-800">{a.replyTemplate}</p>
                <PreviewBox automationId={a.id} useAi={a.useAi} />
                {canManage && (
                  <div className="flex flex-wrap gap-2">
                    <Button size="sm" variant="secondary" pending={update.isPending && update.variables?.id === a.id} onClick={() => update.mutate({ id: a.id, enabled: !a.enabled })}>
                      {a.enabled ? t("disable") : t("enable")}
                    </Button>
                    <Button size="sm" variant="secondary" onClick={() => setEditing(a)}>
                      <Pencil aria-hidden="true" />
                      {t("edit")}
                    </Button>
                    <Button size="sm" variant="danger-outline" onClick={() => setRemoving(a)}>
                      <Trash2 aria-hidden="true" />
                      {t("remove")}
                    </Button>
                  </div>
                )}
              </Card>
            </li>
          ))}
        </ol>
      )}

      <Dialog open={removing !== null} onOpenChange={(open) => !open && setRemoving(null)} title={t("remove")} description={removing ? t("removeConfirm", { name: removing.name }) : undefined} closeLabel={t("form.cancel")}>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => setRemoving(null)}>{t("form.cancel")}</Button>
          <Button variant="danger" pending={remove.isPending} onClick={() => removing && remove.mutate({ id: removing.id })}>{t("remove")}</Button>
        </div>
      </Dialog>
    </div>
  );
}

function AutomationForm({ initial, onDone }: { initial: Automation | null; onDone: () => Promise<void> }) {
  const t = useTranslations("automations");
  const tProviders = useTranslations("providers");
  const { describe } = useErrorMessage();
  const [draft, setDraft] = useState<Draft>(initial ? { name: initial.name, keywords: initial.keywords, replyTemplate: initial.replyTemplate, useAi: initial.useAi, perThreadLimit: initial.perThreadLimit, networks: initial.networks, enabled: initial.enabled } : EMPTY);
  const [keyword, setKeyword] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const onError = (error: unknown) => {
    const described = describe(error);
    setErrors(described.fields);
    setFormError(described.message);
  };
  const create = api.engagement.automations.create.useMutation({
    onSuccess: async () => {
      toast.success(t("created"));
      await onDone();
    },
    onError,
  });
  const update = api.engagement.automations.update.useMutation({
    onSuccess: async () => {
      toast.success(t("saved"));
      await onDone();
    },
    onError,
  });

  const addKeywords = (raw: string) => {
    const parts = raw.split(",").map((k) => k.trim()).filter(Boolean);
    if (parts.length === 0) return;
    setDraft((d) => {
      const lower = new Set(d.keywords.map((k) => k.toLocaleLowerCase()));
      const added = parts.filter((p) => !lower.has(p.toLocaleLowerCase()));
      return { ...d, keywords: [...d.keywords, ...added].slice(0, 20) };
    });
    setKeyword("");
  };

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const pending = keyword.trim() ? [...draft.keywords, ...keyword.split(",").map((k) => k.trim()).filter(Boolean)] : draft.keywords;
    const data = { ...draft, keywords: pending };
    const problems: Record<string, string> = {};
    if (data.name.trim().length < 2) problems.name = t("form.nameRequired");
    if (data.keywords.length === 0) problems.keywords = t("form.keywordsRequired");
    if (data.keywords.length > 20) problems.keywords = t("form.keywordsTooMany");
    if (!data.replyTemplate.trim()) problems.replyTemplate = t("form.templateRequired");
    setErrors(problems);
    setFormError(null);
    if (Object.keys(problems).length > 0) return;
    setKeyword("");
    setDraft(data);
    if (initial) update.mutate({ id: initial.id, ...data });
    else create.mutate(data);
  };

  return (
    <Card className="flex flex-col gap-4 p-4">
      <h2 className="text-base font-semibold text-slate-900">{initial ? t("form.editTitle") : t("form.createTitle")}</h2>
      <form className="grid gap-4 lg:grid-cols-2" onSubmit={submit} noValidate>
        <div className="flex flex-col gap-4">
          <FormField label={t("form.name")} error={errors.name}>
            {(control) => <Input {...control} value={draft.name} maxLength={80} placeholder={t("form.namePlaceholder")} onChange={(e) => set("name", e.target.value)} />}
          </FormField>
          <FormField label={t("form.keywords")} hint={t("form.keywordsHint")} error={errors.keywords}>
            {(control) => (
              <div className="flex flex-col gap-2">
                {draft.keywords.length > 0 && (
                  <ul className="flex flex-wrap gap-1.5">
                    {draft.keywords.map((k) => (
                      <li key={k}>
                        <span className="inline-flex items-center gap-1 rounded-full border border-slate-200 bg-slate-100 py-0.5 pr-1 pl-2.5 text-xs font-medium text-slate-800">
                          {k}
                          <button type="button" className="rounded-full p-0.5 hover:bg-slate-200 focus-visible:outline-2 focus-visible:outline-brand-600" aria-label={t("form.removeKeyword", { keyword: k })}
                            onClick={() => set("keywords", draft.keywords.filter((x) => x !== k))}>
                            <X className="size-3" aria-hidden="true" />
                          </button>
                        </span>
                      </li>
                    ))}
                  </ul>
                )}
                <Input
                  {...control}
                  value={keyword}
                  maxLength={60}
                  placeholder={t("form.keywordsPlaceholder")}
                  onChange={(e) => (e.target.value.includes(",") ? addKeywords(e.target.value) : setKeyword(e.target.value))}
                  onKeyDown={(e) => {
                    if (e.key === "Enter") {
                      e.preventDefault();
                      addKeywords(keyword);
                    } else if (e.key === "Backspace" && keyword === "" && draft.keywords.length > 0) {
                      set("keywords", draft.keywords.slice(0, -1));
                    }
                  }}
                  onBlur={() => addKeywords(keyword)}
                />
              </div>
            )}
          </FormField>
          <fieldset className="flex flex-col gap-1.5">
            <legend className="text-sm font-medium text-slate-800">{t("form.networks")}</legend>
            <div className="flex flex-wrap gap-4">
              {NETWORKS.map((n) => (
                <label key={n} className="flex items-center gap-2 text-sm text-slate-800">
                  <input type="checkbox" className="size-4 accent-brand-700" checked={draft.networks.includes(n)}
                    onChange={(e) => set("networks", e.target.checked ? [...draft.networks, n] : draft.networks.filter((x) => x !== n))} />
                  {tProviders(n)}
                </label>
              ))}
            </div>
            <p className="text-xs text-slate-600">{t("form.networksHint")}</p>
          </fieldset>
        </div>
        <div className="flex flex-col gap-4">
          <FormField label={t("form.template")} hint={draft.useAi ? t("form.templateHintAi") : t("form.templateHint")} error={errors.replyTemplate}>
            {(control) => <textarea {...control} rows={4} maxLength={2000} value={draft.replyTemplate} className={cn(fieldClasses, "py-2")} onChange={(e) => set("replyTemplate", e.target.value)} />}
          </FormField>
          <label className="flex items-start gap-2 text-sm text-slate-800">
            <input type="checkbox" role="switch" className="mt-0.5 size-4 accent-brand-700" checked={draft.useAi} onChange={(e) => set("useAi", e.target.checked)} aria-describedby="useai-hint" />
            <span>
              {t("form.useAi")}
              <span id="useai-hint" className="block text-xs text-slate-600">{t("form.useAiHint")}</span>
            </span>
          </label>
          <FormField label={t("form.limit")} hint={t("form.limitHint")}>
            {(control) => (
              <Select {...control} value={String(draft.perThreadLimit)} onChange={(e) => set("perThreadLimit", Number(e.target.value))}>
                {[1, 2, 3, 4, 5].map((n) => (
                  <option key={n} value={n}>{n}</option>
                ))}
              </Select>
            )}
          </FormField>
          <label className="flex items-center gap-2 text-sm text-slate-800">
            <input type="checkbox" role="switch" className="size-4 accent-brand-700" checked={draft.enabled} onChange={(e) => set("enabled", e.target.checked)} />
            {t("form.enabled")}
          </label>
        </div>
        <div className="lg:col-span-2">
          <PreviewBox draft={draft.keywords.length > 0 && draft.replyTemplate.trim() ? { keywords: draft.keywords, replyTemplate: draft.replyTemplate, networks: draft.networks, useAi: draft.useAi } : null} useAi={draft.useAi} />
        </div>
        <FormError message={formError} className="lg:col-span-2" />
        <div className="flex gap-2 lg:col-span-2">
          <Button type="submit" pending={create.isPending || update.isPending}>{t("form.save")}</Button>
          <Button variant="secondary" onClick={() => void onDone()}>{t("form.cancel")}</Button>
        </div>
      </form>
    </Card>
  );
}

type PreviewDraft = NonNullable<RouterInputs["engagement"]["automations"]["preview"]["draft"]>;

function PreviewBox({ automationId, draft, useAi }: { automationId?: string; draft?: PreviewDraft | null; useAi: boolean }) {
  const t = useTranslations("automations.preview");
  const tProviders = useTranslations("providers");
  const { describe } = useErrorMessage();
  const utils = api.useUtils();
  const [text, setText] = useState("");
  const [network, setNetwork] = useState<Network | "">("");
  const [result, setResult] = useState<RouterOutputs["engagement"]["automations"]["preview"] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const idBase = automationId ?? "draft";
  const disabled = !text.trim() || (!automationId && !draft);

  const run = async () => {
    setPending(true);
    setError(null);
    try {
      setResult(await utils.engagement.automations.preview.fetch({ ...(automationId ? { automationId } : { draft: draft! }), text, ...(network ? { network } : {}) }));
    } catch (e) {
      setResult(null);
      setError(describe(e).message);
    } finally {
      setPending(false);
    }
  };

  return (
    <details className="rounded-lg border border-slate-200 bg-slate-50 p-3">
      <summary className="cursor-pointer text-sm font-medium text-slate-900">{t("title")}</summary>
      <div className="mt-3 flex flex-col gap-3">
        <p className="text-xs text-slate-600">{t("description")}</p>
        <div className="grid gap-3 sm:grid-cols-[minmax(0,3fr)_minmax(0,1fr)_auto] sm:items-end">
          <div className="flex flex-col gap-1">
            <Label htmlFor={`${idBase}-sample`}>{t("sample")}</Label>
            <Input id={`${idBase}-sample`} value={text} maxLength={2200} placeholder={t("samplePlaceholder")} onChange={(e) => setText(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === "Enter") {
                  e.preventDefault();
                  if (!disabled) void run();
                }
              }} />
          </div>
          <div className="flex flex-col gap-1">
            <Label htmlFor={`${idBase}-network`}>{t("network")}</Label>
            <Select id={`${idBase}-network`} value={network} onChange={(e) => setNetwork(e.target.value as Network | "")}>
              <option value="">{t("anyNetwork")}</option>
              {NETWORKS.map((n) => (
                <option key={n} value={n}>{tProviders(n)}</option>
              ))}
            </Select>
          </div>
          <Button variant="secondary" pending={pending} disabled={disabled} onClick={() => void run()}>{t("run")}</Button>
        </div>
        <div aria-live="polite" className="flex flex-col gap-1 text-sm">
          {error && <p className="text-red-700">{error}</p>}
          {result && (
            <>
              <p className={result.matches ? "font-medium text-brand-800" : "text-slate-700"}>
                {result.matches ? t("matches", { keyword: result.keyword ?? "" }) : result.networkApplies ? t("noMatch") : t("networkSkipped")}
              </p>
              {result.reply && (
                <div className="rounded-md border border-brand-200 bg-white p-2">
                  <p className="text-xs font-medium text-slate-600">{t("reply")}</p>
                  <p className="whitespace-pre-wrap text-slate-900">{result.reply}</p>
                  {useAi && <p className="mt-1 text-xs text-slate-600">{t("aiNote")}</p>}
                </div>
              )}
            </>
          )}
        </div>
      </div>
    </details>
  );
}
