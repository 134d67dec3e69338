"use client";

import { Copy } from "lucide-react";
import { useTranslations } from "next-intl";
import { useRef, useState } from "react";
import { toast } from "sonner";

import { api } from "~/trpc/react";
import type { Role } from "../role-badge";
import { grantableRoles } from "../roles";
import { Banner } from "../ui/banner";
import { Button } from "../ui/button";
import { FormError, FormField } from "../ui/form-field";
import { Input } from "../ui/input";
import { Select } from "../ui/select";
import { PlanLimitNotice } from "../billing/plan-limit-notice";
import { useErrorMessage } from "../use-error-message";

export function InviteForm({ myRole }: { myRole: Role }) {
  const t = useTranslations("invitations");
  const tRoles = useTranslations("roles");
  const { describe } = useErrorMessage();
  const utils = api.useUtils();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("VIEWER"); // least power by default
  const [link, setLink] = useState<string | null>(null);

  const invite = api.tenants.invitations.create.useMutation({
    onSuccess: async (invitation) => {
      // The token comes back exactly once: this is the only moment the link can be shown.
      setLink(window.location.origin + invitation.path);
      setEmail("");
      toast.success(t("created", { email: invitation.email }));
      await utils.tenants.invitations.list.invalidate();
    },
  });
  const failure = invite.error ? describe(invite.error) : null;

  return (
    <div className="flex flex-col gap-4">
      <form
        noValidate
        className="flex flex-col gap-4"
        onSubmit={(event) => {
          event.preventDefault();
          setLink(null);
          invite.mutate({ email: email.trim(), role });
        }}
      >
        <FormField label={t("email")} error={failure?.fields.email}>
          {(control) => <Input {...control} name="email" type="email" inputMode="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} required />}
        </FormField>
        <FormField label={t("role")} hint={t("roleHelp")} error={failure?.fields.role}>
          {(control) => (
            <Select {...control} name="role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {grantableRoles(myRole).map((option) => (
                <option key={option} value={option}>
                  {tRoles(option)}
                </option>
              ))}
            </Select>
          )}
        </FormField>
        {failure?.planLimit ? <PlanLimitNotice message={failure.message} limit={failure.planLimit} /> : <FormError message={failure && !failure.field ? failure.message : null} />}
        <Button type="submit" pending={invite.isPending} className="self-start">
          {invite.isPending ? t("pending") : t("submit")}
        </Button>
      </form>
      {link && <InviteLink link={link} />}
    </div>
  );
}

function InviteLink({ link }: { link: string }) {
  const t = useTranslations("invitations");
  const tCommon = useTranslations("common");
  const inputRef = useRef<HTMLInputElement>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(link);
      toast.success(tCommon("copied"));
    } catch {
      // Clipboard access can be refused (permissions, insecure origin): leave it selected instead.
      inputRef.current?.select();
      toast.error(tCommon("copyFailed"));
    }
  }

  return (
    <div className="flex flex-col gap-3 rounded-xl border border-brand-200 bg-brand-50/60 p-4">
      <label htmlFor="invite-link" className="text-sm font-medium text-slate-900">
        {t("linkLabel")}
      </label>
      <div className="flex flex-col gap-2 sm:flex-row">
        <Input
          ref={inputRef}
          id="invite-link"
          data-testid="invite-link"
          readOnly
          value={link}
          onFocus={(e) => e.currentTarget.select()}
          className="font-mono text-xs"
          aria-describedby="invite-link-note"
        />
        <Button variant="secondary" onClick={copy} className="shrink-0">
          <Copy aria-hidden="true" />
          {tCommon("copy")}
        </Button>
      </div>
      <Banner tone="warning" id="invite-link-note">
        {t("linkNote")}
      </Banner>
    </div>
  );
}
