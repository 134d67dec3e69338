"use client";

import { ShieldAlert } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";

import { buttonVariants } from "../ui/button";
import { EmptyState } from "../ui/empty-state";
import { OWNER_TWO_FACTOR_SETUP_PATH } from "./owner-two-factor-path";

/**
 * While an owner lacks the two-factor authentication their organization requires, the server
 * refuses their organization procedures; the pages (requireTenant) render nothing and this gate
 * explains why, with a link to Settings → Security, the one page left open. Client-side so it
 * follows navigation under the shared layout.
 */
export function OwnerTwoFactorGate({ locked, children }: { locked: boolean; children: React.ReactNode }) {
  const pathname = usePathname() ?? "";
  const t = useTranslations("ownerTwoFactor");
  if (!locked || pathname === OWNER_TWO_FACTOR_SETUP_PATH || pathname.startsWith(`${OWNER_TWO_FACTOR_SETUP_PATH}/`)) return <>{children}</>;
  return (
    <div data-testid="owner-two-factor-gate">
      <EmptyState
        icon={ShieldAlert}
        title={t("gateTitle")}
        description={t("gateDescription")}
        action={
          <Link href={OWNER_TWO_FACTOR_SETUP_PATH} className={buttonVariants()}>
            {t("gateAction")}
          </Link>
        }
      />
    </div>
  );
}
