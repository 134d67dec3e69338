import { useTranslations } from "next-intl";

import { Banner } from "./ui/banner";

/** The plain "not built yet" notice: says what is coming instead of pretending it works. */
export function UnderConstruction({ children }: { children: React.ReactNode }) {
  const t = useTranslations("common");
  return (
    <Banner tone="construction" title={t("underConstruction")} role="note">
      {children}
    </Banner>
  );
}
