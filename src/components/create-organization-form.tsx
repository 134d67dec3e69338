"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";

import { api } from "~/trpc/react";
import { Button } from "./ui/button";
import { FormError, FormField } from "./ui/form-field";
import { Input } from "./ui/input";
import { useErrorMessage } from "./use-error-message";

/** Creates an organization, makes it the active one and refreshes everything shown for the old one. */
export function CreateOrganizationForm({ onDone, onCancel }: { onDone?: () => void; onCancel?: () => void }) {
  const t = useTranslations("orgSwitcher");
  const tCommon = useTranslations("common");
  const { describe } = useErrorMessage();
  const router = useRouter();
  const utils = api.useUtils();
  const [name, setName] = useState("");
  const create = api.tenants.create.useMutation({
    onSuccess: async (organization) => {
      toast.success(t("created", { name: organization.name }));
      onDone?.();
      await utils.invalidate();
      router.push("/dashboard");
      router.refresh();
    },
  });
  const failure = create.error ? describe(create.error) : null;

  return (
    <form
      className="flex flex-col gap-4"
      onSubmit={(event) => {
        event.preventDefault();
        create.mutate({ name });
      }}
    >
      <FormField label={t("nameLabel")} error={failure?.fields.name}>
        {(control) => <Input {...control} name="name" value={name} onChange={(e) => setName(e.target.value)} required minLength={2} maxLength={80} autoComplete="organization" />}
      </FormField>
      <FormError message={failure && !failure.field ? failure.message : null} />
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        {onCancel && (
          <Button variant="secondary" onClick={onCancel}>
            {tCommon("cancel")}
          </Button>
        )}
        <Button type="submit" pending={create.isPending}>
          {create.isPending ? t("creating") : t("createSubmit")}
        </Button>
      </div>
    </form>
  );
}
