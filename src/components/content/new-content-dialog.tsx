"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";

import { Button } from "~/components/ui/button";
import { Dialog, DialogFooter } from "~/components/ui/dialog";
import { FormError, FormField } from "~/components/ui/form-field";
import { Input } from "~/components/ui/input";
import { Select } from "~/components/ui/select";
import { useErrorMessage } from "~/components/use-error-message";
import { SOCIAL_NETWORKS, type SocialNetworkId } from "~/lib/social/networks";
import { api } from "~/trpc/react";

/** "Novo conteúdo": title, campaign and networks; creates the piece and opens its editor. */
export function NewContentDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const t = useTranslations("content");
  const tProviders = useTranslations("providers");
  const tCommon = useTranslations("common");
  const { describe } = useErrorMessage();
  const router = useRouter();
  const [title, setTitle] = useState("");
  const [campaignId, setCampaignId] = useState("");
  const [networks, setNetworks] = useState<SocialNetworkId[]>(["INSTAGRAM"]);
  const campaigns = api.content.campaigns.list.useQuery({ limit: 100 }, { enabled: open });
  const create = api.content.create.useMutation({
    onSuccess: ({ id }) => router.push(`/social/content/${id}`),
  });
  const error = create.error ? describe(create.error) : null;

  const toggle = (network: SocialNetworkId, on: boolean) => setNetworks((all) => (on ? [...all, network] : all.filter((n) => n !== network)));

  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={t("create.title")} description={t("create.description")} closeLabel={tCommon("close")}>
      <form
        className="flex flex-col gap-4"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate({ title: title.trim(), campaignId: campaignId || null, networks });
        }}
      >
        <FormError message={error && !error.field ? error.message : null} />
        <FormField label={t("create.name")} error={error?.fields.title}>
          {(control) => <Input {...control} value={title} required maxLength={200} autoFocus onChange={(e) => setTitle(e.target.value)} />}
        </FormField>
        <FormField label={t("campaign")} hint={tCommon("optional")} error={error?.fields.campaignId}>
          {(control) => (
            <Select {...control} value={campaignId} onChange={(e) => setCampaignId(e.target.value)}>
              <option value="">{t("editor.noCampaign")}</option>
              {campaigns.data?.items.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </Select>
          )}
        </FormField>
        <fieldset className="flex flex-col gap-2">
          <legend className="mb-1 text-sm font-medium text-slate-800">{t("networks")}</legend>
          <div className="flex flex-wrap gap-4">
            {SOCIAL_NETWORKS.map((network) => (
              <label key={network} className="flex items-center gap-2 text-sm text-slate-800">
                <input type="checkbox" className="size-4 accent-brand-700" checked={networks.includes(network)} onChange={(e) => toggle(network, e.target.checked)} />
                {tProviders(network)}
              </label>
            ))}
          </div>
        </fieldset>
        <DialogFooter>
          <Button variant="secondary" onClick={() => onOpenChange(false)}>
            {tCommon("cancel")}
          </Button>
          <Button type="submit" pending={create.isPending} disabled={!title.trim()}>
            {t("create.submit")}
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
