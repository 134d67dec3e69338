"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";

import { api } from "~/trpc/react";
import { Button } from "./ui/button";
import { FormError, FormField } from "./ui/form-field";
import { Input } from "./ui/input";
import { Select } from "./ui/select";
import { useErrorMessage } from "./use-error-message";

type OrganizationFormProps = {
  organization: { name: string; timeZone: string; locale: string };
  timeZones: string[];
  localeNames: Record<string, string>;
};

export function OrganizationForm({ organization, timeZones, localeNames }: OrganizationFormProps) {
  const t = useTranslations("organization");
  const tCommon = useTranslations("common");
  const { describe } = useErrorMessage();
  const router = useRouter();
  const utils = api.useUtils();
  const [values, setValues] = useState(organization);
  const update = api.tenants.update.useMutation({
    onSuccess: async () => {
      toast.success(tCommon("saved"));
      await utils.tenants.invalidate();
      router.refresh(); // the name also shows in the top bar, rendered on the server
    },
  });
  const failure = update.error ? describe(update.error) : null;
  const unchanged = values.name === organization.name && values.timeZone === organization.timeZone && values.locale === organization.locale;

  return (
    <form
      noValidate
      className="flex max-w-xl flex-col gap-5"
      onSubmit={(event) => {
        event.preventDefault();
        update.mutate({ name: values.name.trim(), timeZone: values.timeZone, locale: values.locale as "pt-BR" | "en" });
      }}
    >
      <FormField label={t("name")} error={failure?.fields.name}>
        {(control) => (
          <Input {...control} name="name" value={values.name} onChange={(e) => setValues((v) => ({ ...v, name: e.target.value }))} required minLength={2} maxLength={80} />
        )}
      </FormField>
      <FormField label={t("timeZone")} hint={t("timeZoneHint")} error={failure?.fields.timeZone}>
        {(control) => (
          <Select {...control} name="timeZone" value={values.timeZone} onChange={(e) => setValues((v) => ({ ...v, timeZone: e.target.value }))}>
            {timeZones.map((zone) => (
              <option key={zone} value={zone}>
                {zone.replaceAll("_", " ")}
              </option>
            ))}
          </Select>
        )}
      </FormField>
      <FormField label={t("locale")} hint={t("localeHint")} error={failure?.fields.locale}>
        {(control) => (
          <Select {...control} name="locale" value={values.locale} onChange={(e) => setValues((v) => ({ ...v, locale: e.target.value }))}>
            {Object.entries(localeNames).map(([code, name]) => (
              <option key={code} value={code} lang={code}>
                {name}
              </option>
            ))}
          </Select>
        )}
      </FormField>
      <FormError message={failure && !failure.field ? failure.message : null} />
      <Button type="submit" pending={update.isPending} disabled={unchanged} className="self-start">
        {update.isPending ? tCommon("saving") : tCommon("save")}
      </Button>
    </form>
  );
}
