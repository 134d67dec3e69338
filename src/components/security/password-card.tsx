"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";

import { api } from "~/trpc/react";
import { checkNewPassword } from "../auth-validation";
import { PasswordInput } from "../password-input";
import { Banner } from "../ui/banner";
import { Button } from "../ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { FormError, FormField } from "../ui/form-field";
import { useErrorMessage } from "../use-error-message";

const EMPTY = { currentPassword: "", newPassword: "", confirm: "" };
type Field = keyof typeof EMPTY;

/** Changing the password: the current one, then the new one twice. Other sessions end at once. */
export function PasswordCard() {
  const t = useTranslations("sessions.password");
  const tAuth = useTranslations("auth");
  const { describe } = useErrorMessage();
  const utils = api.useUtils();
  const [values, setValues] = useState(EMPTY);
  const [local, setLocal] = useState<Partial<Record<Field, string>>>({});
  const [done, setDone] = useState(false);
  const change = api.security.sessions.changePassword.useMutation({
    onSuccess: async () => {
      setValues(EMPTY);
      setDone(true);
      await utils.security.sessions.list.invalidate();
    },
  });
  const server = change.error ? describe(change.error) : null;
  const errorFor = (field: Field) => local[field] ?? server?.fields[field];
  const set = (field: Field) => (event: React.ChangeEvent<HTMLInputElement>) => {
    setValues((v) => ({ ...v, [field]: event.target.value }));
    setLocal((l) => ({ ...l, [field]: undefined }));
    setDone(false);
  };

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const weak = checkNewPassword(values.newPassword);
    const found: Partial<Record<Field, string>> = {
      currentPassword: values.currentPassword ? undefined : t("currentRequired"),
      newPassword: weak ? tAuth(`validation.${weak}`) : undefined,
      confirm: values.confirm === values.newPassword ? undefined : t("mismatch"),
    };
    setLocal(found);
    if (Object.values(found).some(Boolean)) return;
    change.mutate({ currentPassword: values.currentPassword, newPassword: values.newPassword });
  };

  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("title")}</CardTitle>
        <CardDescription>{t("description")}</CardDescription>
      </CardHeader>
      <CardContent>
        <form noValidate onSubmit={submit} className="flex max-w-md flex-col gap-4">
          {done ? <Banner title={t("changed")}>{t("othersEnded")}</Banner> : null}
          <FormField label={t("current")} error={errorFor("currentPassword")}>
            {(control) => (
              <PasswordInput {...control} name="currentPassword" autoComplete="current-password" value={values.currentPassword} onChange={set("currentPassword")} required maxLength={128} />
            )}
          </FormField>
          <FormField label={t("new")} hint={tAuth("passwordHint")} error={errorFor("newPassword")}>
            {(control) => (
              <PasswordInput {...control} name="newPassword" autoComplete="new-password" value={values.newPassword} onChange={set("newPassword")} required minLength={10} maxLength={128} />
            )}
          </FormField>
          <FormField label={t("confirm")} error={errorFor("confirm")}>
            {(control) => <PasswordInput {...control} name="confirm" autoComplete="new-password" value={values.confirm} onChange={set("confirm")} required maxLength={128} />}
          </FormField>
          <FormError message={server && !server.field ? server.message : null} />
          <div>
            <Button type="submit" pending={change.isPending}>
              {t("submit")}
            </Button>
          </div>
        </form>
      </CardContent>
    </Card>
  );
}
