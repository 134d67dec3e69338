import { useTranslations } from "next-intl";

import { Banner } from "./ui/banner";

type PlatformBannersProps = {
  maintenance: { message: string } | null;
  suspended?: { reason: string } | null;
  className?: string;
};

/** Maintenance mode (every page) and a suspended organization (its members' pages). */
export function PlatformBanners({ maintenance, suspended, className }: PlatformBannersProps) {
  const t = useTranslations("platformBanner");
  if (!maintenance && !suspended) return null;
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
    </div>
  );
}
