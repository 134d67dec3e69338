"use client";

import { Flag } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";

import { api, type RouterOutputs } from "~/trpc/react";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { EmptyState } from "../ui/empty-state";
import { FormError, FormField } from "../ui/form-field";
import { Input } from "../ui/input";
import { useErrorMessage } from "../use-error-message";
import { LoadError, Loading } from "./shared";

type FlagRow = RouterOutputs["admin"]["flags"][number];

export function FlagsAdmin() {
  const t = useTranslations("admin.flags");
  const { toastError } = useErrorMessage();
  const utils = api.useUtils();
  const flags = api.admin.flags.useQuery();
  const [open, setOpen] = useState<string | null>(null);
  const setFlag = api.admin.setFlag.useMutation({
    onSuccess: async (flag) => {
      toast.success(flag.enabled ? t("turnedOn", { key: flag.key }) : t("turnedOff", { key: flag.key }));
      await utils.admin.flags.invalidate();
    },
    onError: (error) => toastError(error),
  });
  if (flags.isPending) return <Loading />;
  if (flags.isError) return <LoadError error={flags.error} retry={() => void flags.refetch()} />;
  return (
    <div className="flex flex-col gap-6">
      {flags.data.length === 0 ? (
        <EmptyState icon={Flag} title={t("emptyTitle")} />
      ) : (
        <ul className="flex flex-col gap-3">
          {flags.data.map((flag) => (
            <li key={flag.key}>
              <Card>
                <CardContent className="flex flex-col gap-3 pt-5">
                  <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
                    <div>
                      <p className="font-mono text-sm font-semibold text-slate-900">{flag.key}</p>
                      <p className="text-sm text-slate-600">{t.has(`known.${flag.key}`) ? t(`known.${flag.key}` as "noDescription") : flag.description || t("noDescription")}</p>
                      <div className="mt-1 flex flex-wrap gap-1">
                        <Badge tone={flag.enabled ? "brand" : "neutral"}>{flag.enabled ? t("on") : t("off")}</Badge>
                        {flag.isDefault && <Badge tone="info">{t("default")}</Badge>}
                        <Badge>{t("overrides", { count: flag.overrides })}</Badge>
                      </div>
                    </div>
                    <div className="flex gap-2">
                      <Button size="sm" variant="secondary" pending={setFlag.isPending && setFlag.variables?.key === flag.key} onClick={() => setFlag.mutate({ key: flag.key, enabled: !flag.enabled })}>
                        {flag.enabled ? t("turnOff") : t("turnOn")}
                      </Button>
                      <Button size="sm" variant="ghost" aria-expanded={open === flag.key} onClick={() => setOpen(open === flag.key ? null : flag.key)}>
                        {t("manageOverrides")}
                      </Button>
                    </div>
                  </div>
                  {open === flag.key && <Overrides flag={flag} />}
                </CardContent>
              </Card>
            </li>
          ))}
        </ul>
      )}
      <NewFlag />
    </div>
  );
}

function Overrides({ flag }: { flag: FlagRow }) {
  const t = useTranslations("admin.flags");
  const { toastError } = useErrorMessage();
  const utils = api.useUtils();
  const overrides = api.admin.flagOverrides.useQuery({ key: flag.key });
  const [search, setSearch] = useState("");
  const [query, setQuery] = useState("");
  const orgs = api.admin.organizations.useQuery({ limit: 5, search: query }, { enabled: query.length > 0 });
  const set = api.admin.setFlagOverride.useMutation({
    onSuccess: async () => {
      await Promise.all([utils.admin.flagOverrides.invalidate({ key: flag.key }), utils.admin.flags.invalidate()]);
    },
    onError: (error) => toastError(error),
  });
  return (
    <div className="flex flex-col gap-3 border-t border-slate-100 pt-3">
      {overrides.isPending ? (
        <Loading />
      ) : overrides.isError ? (
        <LoadError error={overrides.error} retry={() => void overrides.refetch()} />
      ) : overrides.data.length === 0 ? (
        <p className="text-sm text-slate-600">{t("noOverrides")}</p>
      ) : (
        <ul className="flex flex-col gap-2">
          {overrides.data.map((o) => (
            <li key={o.organizationId} className="flex items-center justify-between gap-2 text-sm">
              <span>
                {o.organizationName} <span className="text-xs text-slate-500">({o.organizationSlug})</span>
              </span>
              <span className="flex items-center gap-2">
                <Badge tone={o.enabled ? "brand" : "neutral"}>{o.enabled ? t("on") : t("off")}</Badge>
                <Button size="sm" variant="ghost" onClick={() => set.mutate({ key: flag.key, organizationId: o.organizationId, enabled: null })}>
                  {t("removeOverride")}
                </Button>
              </span>
            </li>
          ))}
        </ul>
      )}
      <form
        role="search"
        className="flex gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          setQuery(search.trim());
        }}
      >
        <Input type="search" aria-label={t("findOrganization")} placeholder={t("findOrganization")} value={search} onChange={(e) => setSearch(e.target.value)} className="max-w-sm" />
        <Button type="submit" size="md" variant="secondary">
          {t("find")}
        </Button>
      </form>
      {orgs.data && (
        <ul className="flex flex-col gap-2">
          {orgs.data.items.length === 0 && <li className="text-sm text-slate-600">{t("noOrganizationFound")}</li>}
          {orgs.data.items.map((org) => (
            <li key={org.id} className="flex items-center justify-between gap-2 text-sm">
              <span>
                {org.name} <span className="text-xs text-slate-500">({org.slug})</span>
              </span>
              <span className="flex gap-2">
                <Button size="sm" variant="secondary" onClick={() => set.mutate({ key: flag.key, organizationId: org.id, enabled: true })}>
                  {t("forceOn")}
                </Button>
                <Button size="sm" variant="secondary" onClick={() => set.mutate({ key: flag.key, organizationId: org.id, enabled: false })}>
                  {t("forceOff")}
                </Button>
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function NewFlag() {
  const t = useTranslations("admin.flags");
  const { describe } = useErrorMessage();
  const utils = api.useUtils();
  const [key, setKey] = useState("");
  const [description, setDescription] = useState("");
  const create = api.admin.setFlag.useMutation({
    onSuccess: async (flag) => {
      toast.success(t("created", { key: flag.key }));
      setKey("");
      setDescription("");
      await utils.admin.flags.invalidate();
    },
  });
  const described = create.error ? describe(create.error) : null;
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("newTitle")}</CardTitle>
        <CardDescription>{t("newDescription")}</CardDescription>
      </CardHeader>
      <CardContent>
        <form
          className="flex flex-col gap-3"
          onSubmit={(event) => {
            event.preventDefault();
            create.mutate({ key: key.trim(), enabled: false, description: description.trim() });
          }}
        >
          <FormField label={t("key")} hint={t("keyHint")} error={described?.fields.key}>
            {(field) => <Input {...field} value={key} onChange={(e) => setKey(e.target.value)} required pattern="[a-z0-9][a-z0-9._\-]*" minLength={2} maxLength={64} />}
          </FormField>
          <FormField label={t("descriptionLabel")}>{(field) => <Input {...field} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={300} />}</FormField>
          <FormError message={described && !described.fields.key ? described.message : null} />
          <Button type="submit" className="self-start" pending={create.isPending}>
            {t("create")}
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}
