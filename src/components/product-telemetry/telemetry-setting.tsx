"use client";

import { useTranslations } from "next-intl";
import { toast } from "sonner";

import { api } from "~/trpc/react";
import { Button } from "../ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { FormError } from "../ui/form-field";
import { useErrorMessage } from "../use-error-message";

/**
 * Organization page: what product telemetry records and never records, its state, and the
 * owner's / manager's switch (turning it off deletes what was recorded — said before the click).
 */
export function ProductTelemetrySetting() {
  const t = useTranslations("productTelemetry.setting");
  const { describe } = useErrorMessage();
  const utils = api.useUtils();
  const current = api.tenants.current.useQuery();
  const settings = api.productTelemetry.settings.useQuery();
  const set = api.productTelemetry.setEnabled.useMutation({
    onSuccess: (result) => {
      toast.success(result.enabled ? t("turnedOn") : t("turnedOff", { count: result.deletedEvents }));
      void utils.productTelemetry.settings.invalidate();
    },
  });
  const on = settings.data?.enabled ?? true;
  const role = current.data?.role;
  const canChange = role === "OWNER" || role === "MANAGER";

  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("title")}</CardTitle>
        <CardDescription>{t("description")}</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-3">
        <p className="text-sm text-slate-700" data-testid="product-telemetry-status">
          {t(on ? "on" : "off")}
        </p>
        {settings.data && canChange ? (
          <div className="flex flex-col gap-2">
            {on ? <p className="text-sm text-slate-600">{t("offNote")}</p> : null}
            <div>
              <Button role="switch" aria-checked={on} variant="secondary" pending={set.isPending} onClick={() => set.mutate({ enabled: !on })}>
                {t(on ? "turnOff" : "turnOn")}
              </Button>
            </div>
          </div>
        ) : settings.data ? (
          <p className="text-sm text-slate-600">{t("readOnly")}</p>
        ) : null}
        <FormError message={set.error ? describe(set.error).message : null} />
      </CardContent>
    </Card>
  );
}
