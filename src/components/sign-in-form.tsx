"use client";

import { signIn } from "next-auth/react";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useState } from "react";

import { checkEmail, type AuthFieldError } from "./auth-validation";
import { authHref } from "./callback-url";
import { PasswordInput } from "./password-input";
import { Button } from "./ui/button";
import { FormError, FormField } from "./ui/form-field";
import { Input } from "./ui/input";
import { useErrorMessage } from "./use-error-message";
import { useFocusFirstInvalid } from "./use-focus-first-invalid";

type Errors = { email?: AuthFieldError; password?: AuthFieldError };

export function SignInForm({ callbackUrl, defaultEmail = "" }: { callbackUrl: string; defaultEmail?: string }) {
  const t = useTranslations("auth");
  const { describeSignIn, translate } = useErrorMessage();
  const [email, setEmail] = useState(defaultEmail);
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const formRef = useFocusFirstInvalid(attempt);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Errors = { email: checkEmail(email), password: password ? undefined : "passwordRequired" };
    setErrors(found);
    setFormError(null);
    if (found.email || found.password) {
      setAttempt((n) => n + 1);
      return;
    }
    setPending(true);
    try {
      const result = await signIn("credentials", { email: email.trim(), password, redirect: false });
      if (!result || result.error) {
        setFormError(describeSignIn(result?.code));
        setPending(false);
        return;
      }
      // A full navigation: the new session cookie reaches every server component, and nothing
      // cached in the browser for a previous user survives.
      window.location.assign(callbackUrl);
    } catch {
      setFormError(translate(undefined));
      setPending(false);
    }
  }

  return (
    <form ref={formRef} noValidate onSubmit={onSubmit} className="flex flex-col gap-4">
      <FormField label={t("email")} error={errors.email && t(`validation.${errors.email}`)}>
        {(control) => (
          <Input {...control} name="email" type="email" autoComplete="email" inputMode="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
        )}
      </FormField>
      <FormField label={t("password")} error={errors.password && t(`validation.${errors.password}`)}>
        {(control) => (
          <PasswordInput {...control} name="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        )}
      </FormField>
      <FormError message={formError} />
      <Button type="submit" size="lg" pending={pending} className="w-full">
        {pending ? t("signIn.pending") : t("signIn.submit")}
      </Button>
      <p className="text-center text-sm text-slate-600">
        {t("signIn.noAccount")}{" "}
        <Link href={authHref("/sign-up", { callbackUrl: callbackUrl === "/dashboard" ? undefined : callbackUrl })} className="font-medium text-brand-700 underline-offset-4 hover:underline">
          {t("signIn.createAccount")}
        </Link>
      </p>
    </form>
  );
}
