import { useTranslations } from "next-intl";

import { Badge } from "~/components/ui/badge";

const TONE = { INSTAGRAM: "violet", TIKTOK: "neutral", YOUTUBE: "danger" } as const;

export function NetworkBadge({ network }: { network: keyof typeof TONE }) {
  const t = useTranslations("providers");
  return <Badge tone={TONE[network]}>{t(network)}</Badge>;
}
