import Link from "next/link";
import { useTranslations } from "next-intl";

import { OWNER_TWO_FACTOR_SETUP_PATH } from "./security/owner-two-factor-path";
import { Banner } from "./ui/banner";

type PlatformBannersProps = {
  maintenance: { message: string } | null;
  suspended?: { reason: string } | null;
  /** An owner of an organization that requires 2FA, without it: every page says where to turn it on. */
  ownerTwoFactorMissing?: boolean;
  className?: string;
};

/** Maintenance mode (every page), a suspended organization and an owner's missing 2FA (its members' pages). */
export function PlatformBanners({ maintenance, suspended, ownerTwoFactorMissing, className }: PlatformBannersProps) {
  const t = useTranslations("platformBanner");
  const tOwner = useTranslations("ownerTwoFactor");
  if (!maintenance && !suspended && !ownerTwoFactorMissing) return null;
  return (
    <div className={className ?? "flex flex-col gap-3"}>
      {maintenance && (
        <Banner tone="warning" title={t("maintenanceTitle")} role="status">
          {maintenance.message || t("maintenanceDefault")}
        </Banner>
      )}
      {suspended && (
        <Banner tone="danger" title={t("suspendedTitle")} role="status">
          {t("suspendedBody")}
          {suspended.reason && <span className="mt-1 block">{t("suspendedReason", { reason: suspended.reason })}</span>}
        </Banner>
      )}
      {ownerTwoFactorMissing && (
        <Banner tone="warning" title={tOwner("bannerTitle")} role="status" data-testid="owner-two-factor-banner">
          {tOwner("bannerBody")}{" "}
          <Link href={OWNER_TWO_FACTOR_SETUP_PATH} className="font-medium underline underline-offset-2">
            {tOwner("bannerLink")}
          </Link>
        </Banner>
      )}
    </div>
  );
}
