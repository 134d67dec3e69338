import { useTranslations } from "next-intl";

import type { RouterOutputs } from "~/trpc/react";
import { Badge } from "./ui/badge";

export type Role = RouterOutputs["tenants"]["current"]["role"];

const TONE = { OWNER: "violet", MANAGER: "info", OPERATOR: "brand", VIEWER: "neutral" } as const;

export function RoleBadge({ role, className, ...props }: { role: Role; className?: string } & Omit<React.ComponentProps<"span">, "children">) {
  const t = useTranslations("roles");
  return (
    <Badge tone={TONE[role]} className={className} {...props}>
      {t(role)}
    </Badge>
  );
}
