"use client";

import { useTranslations } from "next-intl";

import { api } from "~/trpc/react";
import { Button } from "../ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { FormError } from "../ui/form-field";
import { useErrorMessage } from "../use-error-message";

/** Organization page: owners turn "owners must use 2FA" on/off; everyone else sees the status. */
export function OrgTwoFactorSetting() {
  const t = useTranslations("twoFactor.policy");
  const { describe } = useErrorMessage();
  const utils = api.useUtils();
  const current = api.tenants.current.useQuery();
  const policy = api.security.twoFactor.organizationPolicy.useQuery();
  const set = api.security.twoFactor.setOrganizationPolicy.useMutation({ onSuccess: () => utils.security.twoFactor.organizationPolicy.invalidate() });
  const on = policy.data?.requireOwnerTwoFactor ?? false;
  const isOwner = current.data?.role === "OWNER";

  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("title")}</CardTitle>
        <CardDescription>{t("description")}</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-3">
        <p className="text-sm text-slate-700" data-testid="org-two-factor-status">{t(on ? "on" : "off")}</p>
        {isOwner && policy.data ? (
          <div>
            <Button role="switch" aria-checked={on} variant={on ? "secondary" : "primary"} pending={set.isPending} onClick={() => set.mutate({ requireOwnerTwoFactor: !on })}>
              {t(on ? "turnOff" : "turnOn")}
            </Button>
          </div>
        ) : null}
        <FormError message={set.error ? describe(set.error).message : null} />
      </CardContent>
    </Card>
  );
}
