import { TRPCError } from "@trpc/server";
import { Mail } from "lucide-react";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";

import { authHref } from "~/components/callback-url";
import { InviteAccept } from "~/components/invite-accept";
import { titleMetadata } from "~/components/page-metadata";
import { RoleBadge } from "~/components/role-badge";
import { signOutAction } from "~/components/server-actions";
import { Banner } from "~/components/ui/banner";
import { Button, buttonVariants } from "~/components/ui/button";
import { Card, CardContent, CardHeader } from "~/components/ui/card";
import { auth } from "~/server/auth/config";
import { api } from "~/trpc/server";

export const generateMetadata = titleMetadata("invite");

async function loadPreview(token: string) {
  try {
    return await api.tenants.invitations.preview({ token });
  } catch (error) {
    // Unknown and malformed tokens read the same: the link is simply not valid.
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) return null;
    throw error;
  }
}

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const [t, tRoles, format, session, preview] = await Promise.all([
    getTranslations("invite"),
    getTranslations("roles"),
    getFormatter(),
    auth(),
    loadPreview(token),
  ]);

  if (!preview) {
    return (
      <Card>
        <CardHeader className="gap-2 px-6 pt-6">
          <h1 className="text-2xl font-semibold tracking-tight">{t("notFoundTitle")}</h1>
        </CardHeader>
        <CardContent className="px-6 pb-6">
          <p className="text-sm text-slate-700">{t("notFound")}</p>
        </CardContent>
      </Card>
    );
  }

  const here = `/invite/${encodeURIComponent(token)}`;
  const signedInEmail = session?.user?.email ?? null;
  const sameEmail = signedInEmail?.toLowerCase() === preview.email.toLowerCase();

  return (
    <Card>
      <CardHeader className="gap-3 px-6 pt-6">
        <span className="flex size-11 items-center justify-center rounded-full bg-brand-50 text-brand-700">
          <Mail className="size-5" aria-hidden="true" />
        </span>
        <h1 className="text-2xl font-semibold tracking-tight">{t("heading", { organization: preview.organizationName })}</h1>
        <p className="text-sm text-slate-700">
          {t("summary", { inviter: preview.invitedByName, email: preview.email, role: tRoles(preview.role) })}
        </p>
        <div>
          <RoleBadge role={preview.role} />
        </div>
      </CardHeader>
      <CardContent className="flex flex-col gap-4 px-6 pb-6">
        {preview.state === "open" ? (
          <p className="text-sm text-slate-600">{t("expiresOn", { date: format.dateTime(preview.expiresAt, { dateStyle: "long" }) })}</p>
        ) : (
          <Banner tone="warning" role="status">
            {t(preview.state)}
          </Banner>
        )}

        {preview.state === "open" && !session?.user && (
          <>
            <p className="text-sm text-slate-700">{t("signedOutHelp", { email: preview.email })}</p>
            <div className="flex flex-col gap-2 sm:flex-row">
              <Link href={authHref("/sign-up", { email: preview.email, callbackUrl: here })} className={buttonVariants({ size: "lg", className: "flex-1" })}>
                {t("createAccount")}
              </Link>
              <Link href={authHref("/sign-in", { email: preview.email, callbackUrl: here })} className={buttonVariants({ variant: "secondary", size: "lg", className: "flex-1" })}>
                {t("signIn")}
              </Link>
            </div>
          </>
        )}

        {preview.state === "open" && session?.user && (
          <>
            <p className="text-sm text-slate-700">{t("signedInAs", { email: signedInEmail ?? "" })}</p>
            {!sameEmail && <Banner tone="warning">{t("otherEmailWarning", { email: preview.email })}</Banner>}
            <InviteAccept token={token} organizationName={preview.organizationName} />
          </>
        )}

        {preview.state === "accepted" && (
          <Link href={session?.user ? "/dashboard" : authHref("/sign-in", { callbackUrl: "/dashboard" })} className={buttonVariants({ size: "lg" })}>
            {session?.user ? t("goToDashboard") : t("signIn")}
          </Link>
        )}

        {session?.user && (preview.state !== "accepted" || !sameEmail) && (
          <form action={signOutAction}>
            <input type="hidden" name="redirectTo" value={here} />
            <Button type="submit" variant="link" className="w-full">
              {t("signOut")}
            </Button>
          </form>
        )}
      </CardContent>
    </Card>
  );
}
