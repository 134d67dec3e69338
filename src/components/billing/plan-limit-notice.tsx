import Link from "next/link";
import { useTranslations } from "next-intl";

import { Banner } from "../ui/banner";
import { buttonVariants } from "../ui/button";
import { BILLING_PATH, type PlanLimitDetails } from "../use-error-message";

/**
 * A plan limit shown where it happened (a form, a page banner): the translated sentence naming the
 * limit, the usage and the plan that lifts it, and the way to the plans. Owners and managers see the
 * billing page; for other roles the link still explains where an owner changes the plan.
 */
export function PlanLimitNotice({ message, limit, className }: { message: string; limit: PlanLimitDetails; className?: string }) {
  const t = useTranslations("planLimit");
  return (
    <Banner tone="warning" role="alert" data-testid="plan-limit" data-limit={limit.limit} className={className}>
      <p>{message}</p>
      <Link href={BILLING_PATH} className={buttonVariants({ variant: "link", className: "mt-1" })}>
        {t("seePlans")}
      </Link>
    </Banner>
  );
}
