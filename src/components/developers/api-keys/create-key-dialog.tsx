"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";

import { api } from "~/trpc/react";
import { Button } from "../../ui/button";
import { Dialog, DialogFooter } from "../../ui/dialog";
import { FormError, FormField } from "../../ui/form-field";
import { Input } from "../../ui/input";
import { Select } from "../../ui/select";
import { useErrorMessage } from "../../use-error-message";
import { EXPIRY_CHOICES, type ExpiryChoice, MAX_LIFETIME_DAYS } from "./constants";
import { CreatedKeyPanel } from "./created-key-panel";
import { emptySelection, type ScopeSelection, scopesOf } from "./scopes";
import { ScopesGrid } from "./scopes-grid";

const DAY_MS = 86_400_000;
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** The expiry to send for a choice; `undefined` = invalid custom date, `null` = never. */
export function expiryFor(choice: ExpiryChoice, customDate: string, now = new Date()): Date | null | undefined {
  if (choice === "never") return null;
  if (choice !== "custom") return new Date(now.getTime() + Number(choice) * DAY_MS);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(customDate)) return undefined;
  // The end of the chosen day, in the browser's time zone.
  const end = new Date(`${customDate}T23:59:59`);
  if (Number.isNaN(end.getTime()) || end.getTime() <= now.getTime() || end.getTime() > now.getTime() + MAX_LIFETIME_DAYS * DAY_MS) return undefined;
  return end;
}

type CreateKeyDialogProps = { open: boolean; onOpenChange: (open: boolean) => void };

/** "Nova chave": name, scopes, expiry; then the created key, once. */
export function CreateKeyDialog({ open, onOpenChange }: CreateKeyDialogProps) {
  const t = useTranslations("apiKeys.create");
  const tCreated = useTranslations("apiKeys.created");
  const tCommon = useTranslations("common");
  const { describe } = useErrorMessage();
  const utils = api.useUtils();
  const [name, setName] = useState("");
  const [selection, setSelection] = useState<ScopeSelection>(emptySelection);
  const [expiry, setExpiry] = useState<ExpiryChoice>("90");
  const [customDate, setCustomDate] = useState("");
  const [local, setLocal] = useState<{ scopes?: string; date?: string }>({});
  const [plaintext, setPlaintext] = useState<string | null>(null);

  const create = api.apiKeys.create.useMutation({
    onSuccess: async (result) => {
      // The plaintext comes back exactly once: this is the only moment it can be shown.
      setPlaintext(result.key);
      await utils.apiKeys.list.invalidate();
    },
  });
  const failure = create.error ? describe(create.error) : null;

  function reset() {
    setName("");
    setSelection(emptySelection());
    setExpiry("90");
    setCustomDate("");
    setLocal({});
    setPlaintext(null);
    create.reset();
  }

  function close() {
    reset();
    onOpenChange(false);
  }

  function submit(event: React.FormEvent) {
    event.preventDefault();
    const scopes = scopesOf(selection);
    const expiresAt = expiryFor(expiry, customDate);
    const problems = { scopes: scopes.length === 0 ? t("noScopes") : undefined, date: expiresAt === undefined ? t("badDate") : undefined };
    setLocal(problems);
    if (problems.scopes || problems.date || expiresAt === undefined) return;
    create.mutate({ name: name.trim(), scopes, expiresAt });
  }

  const today = new Date();
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => (next ? onOpenChange(true) : close())}
      title={plaintext ? tCreated("title") : t("title")}
      description={plaintext ? undefined : t("description")}
      closeLabel={tCommon("close")}
      className="max-w-lg"
    >
      {plaintext ? (
        <CreatedKeyPanel plaintext={plaintext} onDone={close} />
      ) : (
        <form noValidate className="flex flex-col gap-4" onSubmit={submit}>
          <FormField label={t("name")} error={failure?.fields.name}>
            {(control) => <Input {...control} name="name" maxLength={60} placeholder={t("namePlaceholder")} value={name} onChange={(e) => setName(e.target.value)} required autoComplete="off" />}
          </FormField>
          <ScopesGrid value={selection} onChange={setSelection} error={local.scopes ?? failure?.fields.scopes} disabled={create.isPending} />
          <FormField label={t("expiry")} error={expiry === "custom" ? undefined : failure?.fields.expiresAt}>
            {(control) => (
              <Select {...control} name="expiry" value={expiry} onChange={(e) => setExpiry(e.target.value as ExpiryChoice)}>
                {EXPIRY_CHOICES.map((choice) => (
                  <option key={choice} value={choice}>
                    {t(`expiryOptions.${choice}`)}
                  </option>
                ))}
              </Select>
            )}
          </FormField>
          {expiry === "custom" && (
            <FormField label={t("expiryDate")} hint={t("expiryDateHint")} error={local.date ?? failure?.fields.expiresAt}>
              {(control) => (
                <Input
                  {...control}
                  type="date"
                  name="expiresAt"
                  min={isoDay(new Date(today.getTime() + DAY_MS))}
                  max={isoDay(new Date(today.getTime() + (MAX_LIFETIME_DAYS - 1) * DAY_MS))}
                  value={customDate}
                  onChange={(e) => setCustomDate(e.target.value)}
                />
              )}
            </FormField>
          )}
          <FormError message={failure && !failure.field && Object.keys(failure.fields).length === 0 ? failure.message : null} />
          <DialogFooter>
            <Button variant="secondary" onClick={close}>
              {tCommon("cancel")}
            </Button>
            <Button type="submit" pending={create.isPending}>
              {create.isPending ? t("pending") : t("submit")}
            </Button>
          </DialogFooter>
        </form>
      )}
    </Dialog>
  );
}
