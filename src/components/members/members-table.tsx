"use client";

import { UserMinus } from "lucide-react";
import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { useId, useState } from "react";
import { toast } from "sonner";

import { api, type RouterOutputs } from "~/trpc/react";
import { RoleBadge, type Role } from "../role-badge";
import { grantableRoles, ROLE_RANK } from "../roles";
import { Button } from "../ui/button";
import { Dialog, DialogFooter } from "../ui/dialog";
import { FormError } from "../ui/form-field";
import { Select } from "../ui/select";
import { Table, TBody, TD, TH, THead, TR } from "../ui/table";
import { useErrorMessage } from "../use-error-message";

type Member = RouterOutputs["tenants"]["members"]["list"][number];

type MembersTableProps = { members: Member[]; myRole: Role; canManage: boolean; organizationName: string };

export function MembersTable({ members, myRole, canManage, organizationName }: MembersTableProps) {
  const t = useTranslations("members");
  const tCommon = useTranslations("common");
  const format = useFormatter();
  const [removing, setRemoving] = useState<Member | null>(null);
  const ownerCount = members.filter((m) => m.role === "OWNER").length;

  // Mirrors the server's rules so the UI offers only what will be accepted.
  const isLastOwner = (m: Member) => m.role === "OWNER" && ownerCount <= 1;
  const mayTouch = (m: Member) => canManage && (m.role !== "OWNER" || myRole === "OWNER") && ROLE_RANK[myRole] >= ROLE_RANK[m.role];
  const mayRemove = (m: Member) => mayTouch(m) && !m.isYou && !isLastOwner(m);

  return (
    <>
      {/*
        Below `sm` each row becomes a small card (name and e-mail on top, role and action below)
        instead of a table squeezed sideways. Explicit ARIA roles keep it a table for screen
        readers even where CSS changes the display of the table elements.
      */}
      <Table role="table">
        <caption className="sr-only">{t("tableCaption")}</caption>
        <THead role="rowgroup" className="hidden sm:table-header-group">
          <TR role="row">
            <TH role="columnheader">{t("name")}</TH>
            <TH role="columnheader" className="hidden md:table-cell">{t("email")}</TH>
            <TH role="columnheader">{t("role")}</TH>
            <TH role="columnheader" className="hidden lg:table-cell">{t("since")}</TH>
            {canManage && (
              <TH role="columnheader">
                <span className="sr-only">{t("actionsColumn")}</span>
              </TH>
            )}
          </TR>
        </THead>
        <TBody role="rowgroup" className="block sm:table-row-group">
          {members.map((member) => (
            <TR
              key={member.id}
              role="row"
              data-testid="member-row"
              data-membership-id={member.id}
              className="flex flex-wrap items-center gap-x-3 gap-y-2 px-4 py-3 sm:table-row sm:p-0"
            >
              <TD role="cell" className="block basis-full p-0 font-medium text-slate-900 sm:table-cell sm:px-4 sm:py-3">
                {member.user.name}
                {member.isYou && <span className="ml-2 text-xs font-normal text-slate-500">({tCommon("you")})</span>}
                <span className="block text-xs font-normal break-all text-slate-600 md:hidden">{member.user.email}</span>
              </TD>
              <TD role="cell" className="hidden text-slate-700 md:table-cell">
                {member.user.email}
              </TD>
              <TD role="cell" className="block p-0 sm:table-cell sm:px-4 sm:py-3">
                {mayTouch(member) ? (
                  <RoleSelect member={member} myRole={myRole} lastOwner={isLastOwner(member)} />
                ) : (
                  <RoleBadge role={member.role} />
                )}
              </TD>
              <TD role="cell" className="hidden whitespace-nowrap text-slate-700 lg:table-cell">
                {format.dateTime(member.createdAt, { dateStyle: "medium" })}
              </TD>
              {canManage && (
                <TD role="cell" className="ml-auto block p-0 text-right sm:table-cell sm:px-4 sm:py-3">
                  {mayRemove(member) && (
                    <Button variant="danger-outline" size="sm" onClick={() => setRemoving(member)} aria-label={t("removeLabel", { name: member.user.name })}>
                      <UserMinus aria-hidden="true" />
                      <span className="hidden md:inline">{t("remove")}</span>
                    </Button>
                  )}
                </TD>
              )}
            </TR>
          ))}
        </TBody>
      </Table>
      <RemoveMemberDialog member={removing} organizationName={organizationName} onClose={() => setRemoving(null)} />
    </>
  );
}

function RoleSelect({ member, myRole, lastOwner }: { member: Member; myRole: Role; lastOwner: boolean }) {
  const t = useTranslations("members");
  const tRoles = useTranslations("roles");
  const { describe } = useErrorMessage();
  const utils = api.useUtils();
  const router = useRouter();
  const noteId = useId();
  const change = api.tenants.members.changeRole.useMutation({
    onSuccess: async (updated) => {
      toast.success(t("roleChanged", { name: member.user.name, role: tRoles(updated.role) }));
      await utils.tenants.members.list.invalidate();
      // My own role changed: navigation, badge and what this page offers come from the server.
      if (member.isYou) router.refresh();
    },
    onError: (error) => toast.error(describe(error).message),
  });
  const options = grantableRoles(myRole);
  return (
    <div className="flex flex-col gap-1">
      <Select
        aria-label={t("changeRoleLabel", { name: member.user.name })}
        aria-describedby={lastOwner ? noteId : undefined}
        // Shows the chosen role while the change is saved; the list refetch confirms it (or reverts).
        value={change.isPending ? change.variables.role : member.role}
        disabled={lastOwner || change.isPending}
        onChange={(event) => change.mutate({ membershipId: member.id, role: event.target.value as Role })}
        className="w-40"
      >
        {/* The current role stays listed even when it is not one the caller could grant. */}
        {[...new Set([member.role, ...options])].map((role) => (
          <option key={role} value={role}>
            {tRoles(role)}
          </option>
        ))}
      </Select>
      {lastOwner && (
        <p id={noteId} className="max-w-56 text-xs text-slate-600">
          {t("lastOwnerNote")}
        </p>
      )}
    </div>
  );
}

function RemoveMemberDialog({ member, organizationName, onClose }: { member: Member | null; organizationName: string; onClose: () => void }) {
  const t = useTranslations("members");
  const tCommon = useTranslations("common");
  const { describe } = useErrorMessage();
  const utils = api.useUtils();
  const remove = api.tenants.members.remove.useMutation({
    onSuccess: async () => {
      toast.success(t("removed", { name: member?.user.name ?? "" }));
      onClose();
      await utils.tenants.members.list.invalidate();
    },
  });
  const name = member?.user.name ?? "";
  return (
    <Dialog
      open={member !== null}
      onOpenChange={(open) => {
        if (!open) {
          remove.reset();
          onClose();
        }
      }}
      title={t("removeTitle", { name })}
      description={t("removeDescription", { name, organization: organizationName })}
      closeLabel={tCommon("close")}
    >
      <FormError message={remove.error ? describe(remove.error).message : null} />
      <DialogFooter>
        <Button variant="secondary" onClick={onClose}>
          {tCommon("cancel")}
        </Button>
        <Button variant="danger" pending={remove.isPending} onClick={() => member && remove.mutate({ membershipId: member.id })}>
          {t("removeConfirm")}
        </Button>
      </DialogFooter>
    </Dialog>
  );
}
