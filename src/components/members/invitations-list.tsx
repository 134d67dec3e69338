"use client";

import { Mail } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { toast } from "sonner";

import { api } from "~/trpc/react";
import { RoleBadge } from "../role-badge";
import { Button } from "../ui/button";
import { EmptyState } from "../ui/empty-state";
import { useErrorMessage } from "../use-error-message";

export function InvitationsList() {
  const t = useTranslations("invitations");
  const tCommon = useTranslations("common");
  const format = useFormatter();
  const { describe } = useErrorMessage();
  const utils = api.useUtils();
  const invitations = api.tenants.invitations.list.useQuery();
  const revoke = api.tenants.invitations.revoke.useMutation({
    onSuccess: async (_result, variables) => {
      const email = invitations.data?.find((i) => i.id === variables.invitationId)?.email ?? "";
      toast.success(t("revoked", { email }));
      await utils.tenants.invitations.list.invalidate();
    },
    onError: (error) => toast.error(describe(error).message),
  });

  if (invitations.isPending) return <p className="text-sm text-slate-600">{tCommon("loading")}</p>;
  if (invitations.isError) return <p className="text-sm text-red-700">{describe(invitations.error).message}</p>;
  if (invitations.data.length === 0) return <EmptyState icon={Mail} title={t("pendingEmpty")} className="py-6" />;

  return (
    <ul aria-label={t("pendingTitle")} className="flex flex-col divide-y divide-slate-100">
      {invitations.data.map((invitation) => (
        <li key={invitation.id} className="flex flex-wrap items-center gap-x-3 gap-y-2 py-3 first:pt-0 last:pb-0">
          <div className="flex min-w-0 flex-1 flex-col gap-0.5">
            <div className="flex flex-wrap items-center gap-2">
              <span className="truncate text-sm font-medium text-slate-900">{invitation.email}</span>
              <RoleBadge role={invitation.role} />
            </div>
            <p className="text-xs text-slate-600">
              {t("invitedBy")} {invitation.invitedBy.name} · {t("expires")} {format.dateTime(invitation.expiresAt, { dateStyle: "medium" })}
            </p>
          </div>
          <Button
            variant="ghost"
            size="sm"
            pending={revoke.isPending && revoke.variables?.invitationId === invitation.id}
            onClick={() => revoke.mutate({ invitationId: invitation.id })}
            aria-label={t("revokeLabel", { email: invitation.email })}
          >
            {t("revoke")}
          </Button>
        </li>
      ))}
    </ul>
  );
}
