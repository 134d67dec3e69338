"use client";

import { useTranslations } from "next-intl";

import { api } from "~/trpc/react";
import type { Role } from "../role-badge";
import { Banner } from "../ui/banner";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { useErrorMessage } from "../use-error-message";
import { InvitationsList } from "./invitations-list";
import { InviteForm } from "./invite-form";
import { LeaveOrganization } from "./leave-organization";
import { MembersTable } from "./members-table";

type MembersManagerProps = { myRole: Role; permissions: readonly string[]; organizationName: string };

export function MembersManager({ myRole, permissions, organizationName }: MembersManagerProps) {
  const t = useTranslations("members");
  const tInv = useTranslations("invitations");
  const tCommon = useTranslations("common");
  const tRoles = useTranslations("roles");
  const { describe } = useErrorMessage();
  const members = api.tenants.members.list.useQuery();
  const canManage = permissions.includes("members:manage");
  const canInvite = permissions.includes("members:invite");

  const owners = members.data?.filter((m) => m.role === "OWNER").length ?? 0;
  const lastOwner = myRole === "OWNER" && owners <= 1;

  return (
    <div className="flex flex-col gap-6">
      {!canManage && <Banner tone="info">{t("readOnlyNote")}</Banner>}

      <Card>
        <CardHeader>
          <CardTitle>{t("tableCaption")}</CardTitle>
        </CardHeader>
        {members.isPending ? (
          <CardContent className="text-sm text-slate-600">{tCommon("loading")}</CardContent>
        ) : members.isError ? (
          <CardContent className="text-sm text-red-700" role="alert">
            {describe(members.error).message}
          </CardContent>
        ) : (
          <MembersTable members={members.data} myRole={myRole} canManage={canManage} organizationName={organizationName} />
        )}
      </Card>

      {canInvite && (
        <div className="grid gap-6 lg:grid-cols-2">
          <Card>
            <CardHeader>
              <CardTitle>{tInv("inviteTitle")}</CardTitle>
              <CardDescription>{tInv("inviteDescription")}</CardDescription>
            </CardHeader>
            <CardContent>
              <InviteForm myRole={myRole} />
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>{tInv("pendingTitle")}</CardTitle>
            </CardHeader>
            <CardContent>
              <InvitationsList />
            </CardContent>
          </Card>
        </div>
      )}

      <Card>
        <CardHeader>
          <CardTitle>{t("yourMembership")}</CardTitle>
          <CardDescription>{t("yourMembershipDescription", { role: tRoles(myRole) })}</CardDescription>
        </CardHeader>
        <CardContent>{members.data && <LeaveOrganization organizationName={organizationName} lastOwner={lastOwner} />}</CardContent>
      </Card>
    </div>
  );
}
