"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";

import { api } from "~/trpc/react";
import { Button } from "../../ui/button";
import { Dialog, DialogFooter } from "../../ui/dialog";
import { FormError, FormField } from "../../ui/form-field";
import { Input } from "../../ui/input";
import { useErrorMessage } from "../../use-error-message";
import { type EndpointRow, eventDescriptionKey, eventLabelKey, WEBHOOK_EVENTS, type WebhookEventName } from "./constants";
import { SecretPanel } from "./secret-panel";

type EndpointDialogProps = {
  open: boolean;
  /** The endpoint being edited; null to create one. */
  endpoint: EndpointRow | null;
  onClose: () => void;
};

/** Checks the form before it is sent; the server checks again. */
export function validateEndpointForm(url: string, events: string[]): { url?: "urlRequired"; events?: "eventsRequired" } {
  const problems: { url?: "urlRequired"; events?: "eventsRequired" } = {};
  if (!/^https?:\/\/\S+$/i.test(url.trim())) problems.url = "urlRequired";
  if (events.length === 0) problems.events = "eventsRequired";
  return problems;
}

export function EndpointDialog({ open, endpoint, onClose }: EndpointDialogProps) {
  const tCommon = useTranslations("common");
  const title = useTranslations("webhooks.form")(endpoint ? "editTitle" : "createTitle");
  // Keyed so each opening starts from the endpoint's values (or a blank form).
  return (
    <Dialog open={open} onOpenChange={(next) => !next && onClose()} title={title} closeLabel={tCommon("close")} className="max-w-2xl">
      {open && <EndpointForm key={endpoint?.id ?? "new"} endpoint={endpoint} onClose={onClose} />}
    </Dialog>
  );
}

function EndpointForm({ endpoint, onClose }: { endpoint: EndpointRow | null; onClose: () => void }) {
  const t = useTranslations("webhooks");
  const tCommon = useTranslations("common");
  const { describe } = useErrorMessage();
  const utils = api.useUtils();
  const [url, setUrl] = useState(endpoint?.url ?? "");
  const [description, setDescription] = useState(endpoint?.description ?? "");
  const [events, setEvents] = useState<string[]>(endpoint?.events ?? []);
  const [problems, setProblems] = useState<ReturnType<typeof validateEndpointForm>>({});
  const [secret, setSecret] = useState<string | null>(null);

  const create = api.webhooks.create.useMutation({
    onSuccess: async (result) => {
      // The secret comes back exactly once: this is the only moment it can be shown.
      setSecret(result.secret);
      await utils.webhooks.list.invalidate();
    },
  });
  const update = api.webhooks.update.useMutation({
    onSuccess: async () => {
      toast.success(t("form.saved"));
      await utils.webhooks.invalidate();
      onClose();
    },
  });
  const mutation = endpoint ? update : create;
  const failure = mutation.error ? describe(mutation.error) : null;

  if (secret) return <SecretPanel secret={secret} onDone={onClose} />;

  function toggle(event: WebhookEventName, checked: boolean) {
    setEvents((current) => (checked ? [...current, event] : current.filter((e) => e !== event)));
  }

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const found = validateEndpointForm(url, events);
    setProblems(found);
    if (found.url || found.events) return;
    const input = { url: url.trim(), description: description.trim() || null, events: events as WebhookEventName[] };
    if (endpoint) update.mutate({ id: endpoint.id, ...input });
    else create.mutate(input);
  }

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-4">
      <FormField label={t("form.url")} hint={t("form.urlHint")} error={problems.url ? t(`form.${problems.url}`) : failure?.fields.url}>
        {(control) => <Input {...control} type="url" inputMode="url" placeholder="https://" value={url} onChange={(e) => setUrl(e.target.value)} autoComplete="off" required />}
      </FormField>
      <FormField label={t("form.descriptionLabel")}>
        {(control) => <Input {...control} value={description} maxLength={200} placeholder={t("form.descriptionPlaceholder")} onChange={(e) => setDescription(e.target.value)} />}
      </FormField>
      <fieldset className="flex flex-col gap-2" aria-describedby="webhook-events-hint">
        <legend className="text-sm font-medium text-slate-900">{t("form.events")}</legend>
        <p id="webhook-events-hint" className={problems.events ? "text-sm font-medium text-red-700" : "text-xs text-slate-600"}>
          {problems.events ? t(`form.${problems.events}`) : t("form.eventsHint")}
        </p>
        <div className="grid gap-2 sm:grid-cols-2">
          {WEBHOOK_EVENTS.map((event) => (
            <label key={event} className="flex cursor-pointer items-start gap-2 rounded-lg border border-slate-200 p-3 text-sm has-[:checked]:border-brand-300 has-[:checked]:bg-brand-50">
              <input type="checkbox" className="mt-0.5 size-4 accent-brand-700" checked={events.includes(event)} onChange={(e) => toggle(event, e.target.checked)} data-testid={`event-${event}`} />
              <span className="flex flex-col">
                <span className="font-medium text-slate-900">{t(eventLabelKey(event))}</span>
                <span className="text-xs text-slate-600">{t(eventDescriptionKey(event))}</span>
                <code className="mt-1 text-[11px] text-slate-500">{event}</code>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <FormError message={failure && !failure.fields.url ? failure.message : null} />
      <DialogFooter>
        <Button variant="secondary" onClick={onClose}>
          {tCommon("cancel")}
        </Button>
        <Button type="submit" pending={mutation.isPending}>
          {endpoint ? t("form.save") : t("form.create")}
        </Button>
      </DialogFooter>
    </form>
  );
}
