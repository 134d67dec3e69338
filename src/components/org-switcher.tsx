"use client";

import { Check, ChevronsUpDown, Plus } from "lucide-react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";

import { api, type RouterOutputs } from "~/trpc/react";
import { CreateOrganizationForm } from "./create-organization-form";
import { RoleBadge } from "./role-badge";
import { Dialog } from "./ui/dialog";
import { useDisclosure } from "./use-disclosure";
import { useErrorMessage } from "./use-error-message";

type Organizations = RouterOutputs["tenants"]["mine"];

export function OrgSwitcher({ organizations, current }: { organizations: Organizations; current: { id: string; name: string } }) {
  const t = useTranslations("orgSwitcher");
  const tCommon = useTranslations("common");
  const { describe } = useErrorMessage();
  const router = useRouter();
  const utils = api.useUtils();
  const { open: menuOpen, close: closeMenu, toggle: toggleMenu, panelId, buttonRef, containerRef } = useDisclosure();
  const [creating, setCreating] = useState(false);

  // The layout passes what the server rendered; the query keeps the list fresh after changes.
  const mine = api.tenants.mine.useQuery(undefined, { initialData: organizations });

  const switchOrg = api.tenants.switch.useMutation({
    onSuccess: async (_result, variables) => {
      const name = mine.data.find((o) => o.id === variables.organizationId)?.name ?? "";
      closeMenu();
      // Everything cached belongs to the previous organization: refetch it, and re-render the
      // server parts (navigation, role badge) for the new one.
      await utils.invalidate();
      router.refresh();
      toast.success(t("switched", { name }));
    },
    onError: (error) => toast.error(describe(error).message),
  });

  return (
    <div ref={containerRef} className="relative min-w-0">
      <button
        type="button"
        ref={buttonRef}
        aria-expanded={menuOpen}
        aria-controls={panelId}
        onClick={toggleMenu}
        aria-label={t("label", { name: current.name })}
        className="flex h-10 max-w-[11rem] min-w-0 items-center gap-2 rounded-lg border border-slate-300 bg-white px-3 text-sm font-medium text-slate-900 shadow-sm hover:bg-slate-50 sm:max-w-xs"
      >
        <span className="truncate">{current.name}</span>
        <ChevronsUpDown className="size-4 shrink-0 text-slate-500" aria-hidden="true" />
      </button>
      <div
        id={panelId}
        hidden={!menuOpen}
        className="absolute left-0 z-40 mt-2 w-72 max-w-[calc(100vw-2rem)] rounded-xl border border-slate-200 bg-white p-2 shadow-lg"
      >
        <p className="px-2 pt-1 pb-2 text-xs font-semibold tracking-wide text-slate-500 uppercase">{t("heading")}</p>
        <ul className="flex max-h-72 flex-col gap-0.5 overflow-y-auto">
          {mine.data.map((org) => {
            const isCurrent = org.id === current.id;
            return (
              <li key={org.id}>
                <button
                  type="button"
                  disabled={isCurrent || switchOrg.isPending}
                  aria-current={isCurrent ? "true" : undefined}
                  onClick={() => switchOrg.mutate({ organizationId: org.id })}
                  className="flex w-full items-center gap-2 rounded-lg px-2 py-2 text-left text-sm hover:bg-slate-100 disabled:cursor-default disabled:hover:bg-transparent"
                >
                  <span className="flex size-4 shrink-0 items-center justify-center">
                    {isCurrent && <Check className="size-4 text-brand-700" aria-hidden="true" />}
                  </span>
                  <span className="min-w-0 flex-1 truncate font-medium text-slate-900">
                    {org.name}
                    {isCurrent && <span className="sr-only"> ({t("active")})</span>}
                  </span>
                  <RoleBadge role={org.role} />
                </button>
              </li>
            );
          })}
        </ul>
        <div className="mt-2 border-t border-slate-100 pt-2">
          <button
            type="button"
            onClick={() => {
              closeMenu();
              setCreating(true);
            }}
            className="flex w-full items-center gap-2 rounded-lg px-2 py-2 text-left text-sm font-medium text-brand-800 hover:bg-brand-50"
          >
            <Plus className="size-4" aria-hidden="true" />
            {t("create")}
          </button>
        </div>
      </div>
      <Dialog open={creating} onOpenChange={setCreating} title={t("createTitle")} description={t("createDescription")} closeLabel={tCommon("close")}>
        <CreateOrganizationForm onDone={() => setCreating(false)} onCancel={() => setCreating(false)} />
      </Dialog>
    </div>
  );
}
