"use client";

import { signIn } from "next-auth/react";
import Link from "next/link";
import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";

import { toLocale } from "~/i18n/locales";
import { api } from "~/trpc/react";
import { checkEmail, checkName, checkNewPassword, type AuthFieldError } from "./auth-validation";
import { authHref } from "./callback-url";
import { PasswordInput } from "./password-input";
import { Button } from "./ui/button";
import { FormError, FormField } from "./ui/form-field";
import { Input } from "./ui/input";
import { useErrorMessage } from "./use-error-message";
import { useFocusFirstInvalid } from "./use-focus-first-invalid";

type Field = "name" | "email" | "password" | "organizationName";

export function SignUpForm({ callbackUrl, defaultEmail = "" }: { callbackUrl: string; defaultEmail?: string }) {
  const t = useTranslations("auth");
  const tCommon = useTranslations("common");
  const locale = toLocale(useLocale());
  const { describe } = useErrorMessage();
  const [values, setValues] = useState({ name: "", email: defaultEmail, organizationName: "", password: "" });
  const [localErrors, setLocalErrors] = useState<Partial<Record<Field, AuthFieldError>>>({});
  const [stage, setStage] = useState<"form" | "signingIn" | "signInFailed">("form");
  const [attempt, setAttempt] = useState(0);
  const formRef = useFocusFirstInvalid(attempt);
  const signInHref = authHref("/sign-in", { callbackUrl: callbackUrl === "/dashboard" ? undefined : callbackUrl });

  const signUp = api.auth.signUp.useMutation({
    onSuccess: async () => {
      setStage("signingIn");
      try {
        const result = await signIn("credentials", { email: values.email.trim(), password: values.password, redirect: false });
        if (!result || result.error) return setStage("signInFailed");
        window.location.assign(callbackUrl); // full navigation, see sign-in-form.tsx
      } catch {
        setStage("signInFailed");
      }
    },
    onError: () => setAttempt((n) => n + 1),
  });
  const server = signUp.error ? describe(signUp.error) : null;

  function errorFor(field: Field): string | undefined {
    const local = localErrors[field];
    if (local) return t(`validation.${local}`);
    return server?.fields[field];
  }

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found = { name: checkName(values.name), email: checkEmail(values.email), password: checkNewPassword(values.password) };
    setLocalErrors(found);
    if (found.name || found.email || found.password) {
      setAttempt((n) => n + 1);
      return;
    }
    signUp.reset();
    signUp.mutate({
      name: values.name.trim(),
      email: values.email.trim(),
      password: values.password,
      organizationName: values.organizationName.trim() || undefined,
      locale,
    });
  }

  const set = (field: Field) => (event: React.ChangeEvent<HTMLInputElement>) => setValues((v) => ({ ...v, [field]: event.target.value }));
  const busy = signUp.isPending || stage === "signingIn";
  const formMessage = stage === "signInFailed" ? t("signUp.createdButSignInFailed") : server && !server.field ? server.message : null;

  return (
    <form ref={formRef} noValidate onSubmit={onSubmit} className="flex flex-col gap-4">
      <FormField label={t("signUp.name")} error={errorFor("name")}>
        {(control) => <Input {...control} name="name" autoComplete="name" value={values.name} onChange={set("name")} required maxLength={80} />}
      </FormField>
      <FormField label={t("email")} error={errorFor("email")}>
        {(control) => (
          <Input {...control} name="email" type="email" autoComplete="email" inputMode="email" value={values.email} onChange={set("email")} required maxLength={254} />
        )}
      </FormField>
      <FormField
        label={
          <>
            {t("signUp.organizationName")} <span className="font-normal text-slate-500">({tCommon("optional")})</span>
          </>
        }
        hint={t("signUp.organizationHint")}
        error={errorFor("organizationName")}
      >
        {(control) => <Input {...control} name="organizationName" autoComplete="organization" value={values.organizationName} onChange={set("organizationName")} maxLength={80} />}
      </FormField>
      <FormField label={t("password")} hint={t("passwordHint")} error={errorFor("password")}>
        {(control) => (
          <PasswordInput {...control} name="password" autoComplete="new-password" value={values.password} onChange={set("password")} required minLength={10} maxLength={128} />
        )}
      </FormField>
      <FormError message={formMessage} />
      {stage === "signInFailed" && (
        <Link href={signInHref} className="text-center text-sm font-medium text-brand-700 underline underline-offset-4">
          {t("signUp.signIn")}
        </Link>
      )}
      <Button type="submit" size="lg" pending={busy} disabled={stage === "signInFailed"} className="w-full">
        {stage === "signingIn" ? t("signUp.signingIn") : signUp.isPending ? t("signUp.pending") : t("signUp.submit")}
      </Button>
      <p className="text-center text-sm text-slate-600">
        {t("signUp.haveAccount")}{" "}
        <Link href={signInHref} className="font-medium text-brand-700 underline-offset-4 hover:underline">
          {t("signUp.signIn")}
        </Link>
      </p>
    </form>
  );
}
