"use client";

import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";

import { api } from "~/trpc/react";
import { PasswordInput } from "../password-input";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { FormError, FormField } from "../ui/form-field";
import { Input } from "../ui/input";
import { answerStepUp, onStepUpRequest } from "./step-up-broker";

/**
 * Mounted once (TRPCReactProvider): opens when a sensitive mutation is refused with
 * `stepUpRequired`, asks for a 2FA/recovery code (or the password without 2FA) and lets the
 * step-up link retry the operation.
 */
export function StepUpDialog() {
  const t = useTranslations("twoFactor.stepUp");
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState("");
  useEffect(() => onStepUpRequest(setOpen), []);
  const status = api.security.twoFactor.status.useQuery(undefined, { enabled: open });
  const confirm = api.security.twoFactor.stepUp.useMutation({
    onSuccess: () => {
      setValue("");
      answerStepUp(true);
    },
  });
  const withCode = status.data?.enabled ?? false;

  const close = () => {
    setValue("");
    confirm.reset();
    answerStepUp(false);
  };
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (!value.trim()) return;
    confirm.mutate(withCode ? { code: value.trim() } : { password: value });
  };

  return (
    <Dialog open={open} onOpenChange={(next) => (next ? undefined : close())} title={t("title")} description={t(withCode ? "descriptionCode" : "descriptionPassword")} closeLabel={t("cancel")}>
      <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
        <FormField label={t(withCode ? "codeLabel" : "passwordLabel")}>
          {(control) =>
            withCode ? (
              <Input {...control} name="step-up-code" autoComplete="one-time-code" value={value} onChange={(e) => setValue(e.target.value)} autoFocus />
            ) : (
              <PasswordInput {...control} name="step-up-password" autoComplete="current-password" value={value} onChange={(e) => setValue(e.target.value)} autoFocus />
            )
          }
        </FormField>
        <FormError message={confirm.error ? t(confirm.error.data?.reason === "rateLimited" ? "rateLimited" : "invalid") : null} />
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={close}>
            {t("cancel")}
          </Button>
          <Button type="submit" pending={confirm.isPending}>
            {t("confirm")}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
