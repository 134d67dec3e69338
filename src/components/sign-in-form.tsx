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
  const tf = useTranslations("twoFactor.signIn");
  const { describeSignIn, translate } = useErrorMessage();
  const [email, setEmail] = useState(defaultEmail);
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [attempt, setAttempt] = useState(0);
  // Second step (2FA on): the password stays in this component's memory only, never stored.
  const [secondStep, setSecondStep] = useState<"totp" | "recovery" | null>(null);
  const [otp, setOtp] = useState("");
  const formRef = useFocusFirstInvalid(attempt);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Errors = { email: checkEmail(email), password: password ? undefined : "passwordRequired" };
    setErrors(found);
    setFormError(null);
    if (secondStep && !otp.trim()) {
      setFormError(tf("codeRequired"));
      return;
    }
    if (found.email || found.password) {
      setAttempt((n) => n + 1);
      return;
    }
    setPending(true);
    try {
      const result = await signIn("credentials", { email: email.trim(), password, ...(secondStep ? { otp: otp.trim() } : {}), redirect: false });
      if (result?.code === "two_factor_required") {
        setSecondStep("totp");
        setPending(false);
        return;
      }
      if (!result || result.error) {
        setFormError(result?.code === "invalid_two_factor_code" ? tf("invalidCode") : describeSignIn(result?.code));
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

  if (secondStep) {
    return (
      <form noValidate onSubmit={onSubmit} className="flex flex-col gap-4">
        <p className="text-sm text-slate-700">{tf(secondStep === "totp" ? "promptTotp" : "promptRecovery")}</p>
        <FormField label={tf(secondStep === "totp" ? "codeLabel" : "recoveryLabel")}>
          {(control) =>
            secondStep === "totp" ? (
              <Input {...control} name="otp" inputMode="numeric" pattern="[0-9]*" maxLength={6} autoComplete="one-time-code" value={otp} onChange={(e) => setOtp(e.target.value)} autoFocus />
            ) : (
              <Input {...control} name="recovery" autoComplete="off" value={otp} onChange={(e) => setOtp(e.target.value)} autoFocus />
            )
          }
        </FormField>
        <FormError message={formError} />
        <Button type="submit" size="lg" pending={pending} className="w-full">
          {pending ? t("signIn.pending") : tf("verify")}
        </Button>
        <div className="flex justify-between text-sm">
          <Button variant="link" onClick={() => { setSecondStep(secondStep === "totp" ? "recovery" : "totp"); setOtp(""); setFormError(null); }}>
            {tf(secondStep === "totp" ? "useRecovery" : "useTotp")}
          </Button>
          <Button variant="link" onClick={() => { setSecondStep(null); setOtp(""); setPassword(""); setFormError(null); }}>
            {tf("back")}
          </Button>
        </div>
      </form>
    );
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
