"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";

import { api, type RouterOutputs } from "~/trpc/react";
import { Button } from "../ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { CardLoadError, CardLoading } from "../ui/card-query-states";
import { useErrorMessage } from "../use-error-message";

type Row = RouterOutputs["notifications"]["preferences"]["categories"][number];
type Channel = "inApp" | "email";

/**
 * The person's own notification choices in this organization: per category (only those their role
 * receives), whether it shows in the bell and whether it arrives by e-mail.
 */
export function NotificationPreferences() {
  const t = useTranslations("notificationSettings");
  const { describe } = useErrorMessage();
  const utils = api.useUtils();
  const query = api.notifications.preferences.useQuery();
  const [rows, setRows] = useState<Row[] | null>(null);
  const save = api.notifications.updatePreferences.useMutation({
    onSuccess: (data) => {
      setRows(data.categories);
      utils.notifications.preferences.setData(undefined, data);
      // In-app choices change what the bell counts.
      void utils.notifications.unreadCount.invalidate();
      void utils.notifications.list.invalidate();
      toast.success(t("saved"));
    },
    onError: () => toast.error(t("saveError")),
  });

  // Unsaved edits, else what is stored.
  const shown = rows ?? query.data?.categories ?? [];
  const dirty = JSON.stringify(shown) !== JSON.stringify(query.data?.categories ?? []);
  const toggle = (category: Row["category"], channel: Channel) =>
    setRows(shown.map((r) => (r.category === category ? { ...r, [channel]: !r[channel] } : r)));

  return (
    <Card>
      <CardHeader>
        <CardTitle as="h2">{t("cardTitle")}</CardTitle>
        <CardDescription>{t("cardDescription")}</CardDescription>
      </CardHeader>
      {query.isPending ? (
        <CardLoading />
      ) : query.isError ? (
        <CardLoadError message={describe(query.error).message} onRetry={() => void query.refetch()} />
      ) : (
        <CardContent className="flex flex-col gap-4">
          <PreferencesTable rows={shown} onToggle={toggle} />
          <p className="text-xs text-slate-500">{t("emailNote")}</p>
          <div>
            <Button disabled={!dirty} pending={save.isPending} onClick={() => save.mutate({ categories: shown })} data-testid="notification-preferences-save">
              {t("save")}
            </Button>
          </div>
        </CardContent>
      )}
    </Card>
  );
}

function PreferencesTable({ rows, onToggle }: { rows: Row[]; onToggle: (category: Row["category"], channel: Channel) => void }) {
  const t = useTranslations("notificationSettings");
  const tc = useTranslations("notifications.categories");
  const channels: Channel[] = ["inApp", "email"];
  return (
    <table className="w-full text-sm" data-testid="notification-preferences">
      <thead>
        <tr className="border-b border-slate-200 text-left text-slate-600">
          <th scope="col" className="py-2 font-medium">{t("category")}</th>
          {channels.map((c) => (
            <th key={c} scope="col" className="w-28 py-2 text-center font-medium">{t(c)}</th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((r) => (
          <tr key={r.category} data-category={r.category}>
            <th scope="row" className="py-3 pr-4 text-left font-normal">
              <span className="block font-medium text-slate-900">{tc(`${r.category}.title`)}</span>
              <span className="block text-xs text-slate-600">{tc(`${r.category}.description`)}</span>
            </th>
            {channels.map((c) => (
              <td key={c} className="py-3 text-center">
                <input
                  type="checkbox"
                  className="size-4 accent-brand-600"
                  checked={r[c]}
                  aria-label={t("toggle", { category: tc(`${r.category}.title`), channel: t(c) })}
                  data-channel={c}
                  onChange={() => onToggle(r.category, c)}
                />
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
