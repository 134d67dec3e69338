"use client";

import { useTranslations } from "next-intl";
import { useCallback } from "react";
import { toast } from "sonner";

/** The parts of a tRPC client error this app reads (see errorFormatter in src/server/api/trpc.ts). */
type ErrorData = {
  code?: string;
  reason?: string;
  fieldErrors?: Record<string, string[] | undefined>;
  details?: Record<string, unknown>;
};

/** What a `planLimitReached` refusal carries (see planLimitError in src/server/billing/entitlements.ts). */
export type PlanLimitDetails = {
  /** The limit's key (LIMIT_KEYS) and its translated name. */
  limit: string;
  limitName: string;
  used: number;
  max: number;
  plan: string;
  /** The cheapest plan that lifts the limit, and what it allows; null when none does. */
  upgradePlan: string | null;
  upgradeLimit: number | null;
};

export type DescribedError = {
  /** One translated sentence for the whole failure. */
  message: string;
  /** Set for a plan limit: the page can offer the plans (PlanLimitNotice, or the toast's action). */
  planLimit?: PlanLimitDetails;
  /** Translated messages keyed by input field name, to show next to the fields. */
  fields: Record<string, string>;
  /** Set when the whole failure is about one input: show it there, not a second time above. */
  field?: string;
};

// When a refusal carries no reason of its own (e.g. the sign-in guard), the code still says enough.
const REASON_BY_CODE: Record<string, string> = {
  UNAUTHORIZED: "signInRequired",
  FORBIDDEN: "forbidden",
  NOT_FOUND: "notFound",
  TOO_MANY_REQUESTS: "rateLimited",
  PAYLOAD_TOO_LARGE: "payloadTooLarge",
  BAD_REQUEST: "invalidInput",
};

// next-auth's CredentialsSignin codes (src/server/auth/config.ts) → message keys.
const REASON_BY_SIGN_IN_CODE: Record<string, string> = {
  invalid_credentials: "invalidCredentials",
  rate_limited: "rateLimited",
};

/** Where plans are compared and changed. */
export const BILLING_PATH = "/settings/billing";

const num = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : 0);
const str = (value: unknown) => (typeof value === "string" && value !== "" ? value : null);

function errorData(error: unknown): ErrorData | undefined {
  if (typeof error !== "object" || error === null || !("data" in error)) return undefined;
  const data = (error as { data: unknown }).data;
  return typeof data === "object" && data !== null ? (data as ErrorData) : undefined;
}

/**
 * The one way to turn a failure into words. Returns a function that takes a tRPC error (or
 * anything thrown) and gives a translated message plus per-field messages; unknown reasons fall
 * back to `errors.generic`, so a user never sees a raw server string or an English zod message.
 */
export function useErrorMessage() {
  const t = useTranslations("errors");
  const tRoot = useTranslations();

  const translate = useCallback(
    (reason: string | undefined) => (reason && t.has(reason) ? t(reason) : t("generic")),
    [t],
  );

  /** A plan limit's details with the limit's name translated (limits.<key>, from the entitlements part). */
  const planLimitOf = useCallback(
    (details: Record<string, unknown> | undefined): PlanLimitDetails => {
      const limit = str(details?.limit) ?? "";
      const limitName = limit && tRoot.has(`limits.${limit}`) ? tRoot(`limits.${limit}`) : limit;
      const upgradePlan = str(details?.upgradePlan);
      return {
        limit,
        limitName,
        used: num(details?.used),
        max: num(details?.max),
        plan: str(details?.plan) ?? "",
        upgradePlan,
        upgradeLimit: upgradePlan ? num(details?.upgradeLimit) : null,
      };
    },
    [tRoot],
  );

  /** The sentence for a plan limit: which limit, how much is used, on which plan, and which plan lifts it. */
  const describePlanLimit = useCallback(
    (limit: PlanLimitDetails) => {
      const { limitName, used, max, plan, upgradePlan, upgradeLimit } = limit;
      // ICU `select` needs a string: "none" when no plan lifts the limit.
      return t("planLimitReached", { limit: limitName, used, max, plan, upgradePlan: upgradePlan ?? "none", upgradeLimit: upgradeLimit ?? 0 });
    },
    [t],
  );

  const describe = useCallback(
    (error: unknown): DescribedError => {
      const data = errorData(error);
      const reason = data?.reason ?? (data?.code ? REASON_BY_CODE[data.code] : undefined);
      if (reason === "planLimitReached" && t.has(reason)) {
        const planLimit = planLimitOf(data?.details);
        return { message: describePlanLimit(planLimit), fields: {}, planLimit };
      }
      const message = translate(reason);
      const fields: Record<string, string> = {};
      for (const [field, problems] of Object.entries(data?.fieldErrors ?? {})) {
        if (!problems?.length) continue;
        fields[field] = t.has(`fields.${field}`) ? t(`fields.${field}`) : t("invalidInput");
      }
      // A service error about one input (e.g. a weak password) belongs next to that input.
      const field = typeof data?.details?.field === "string" ? data.details.field : undefined;
      if (field) fields[field] = message;
      return { message, fields, field };
    },
    [t, translate, planLimitOf, describePlanLimit],
  );

  const tPlanLimit = useTranslations("planLimit");
  /**
   * Shows a failure as an error toast; a plan limit gets a "Ver planos" action to Settings → Billing.
   * Returns the description for callers that also show it inline.
   */
  const toastError = useCallback(
    (error: unknown): DescribedError => {
      const described = describe(error);
      // A full navigation on purpose: useRouter here would tie every component using this hook
      // (including those rendered outside the app router, e.g. in render tests) to the router.
      const seePlans = () => window.location.assign(BILLING_PATH); // eslint-disable-line @next/next/no-location-assign-relative-destination
      toast.error(described.message, described.planLimit ? { action: { label: tPlanLimit("seePlans"), onClick: seePlans } } : undefined);
      return described;
    },
    [describe, tPlanLimit],
  );

  const describeSignIn = useCallback((code: string | undefined) => translate(code ? (REASON_BY_SIGN_IN_CODE[code] ?? "invalidCredentials") : undefined), [translate]);

  return { describe, describeSignIn, translate, describePlanLimit, planLimitOf, toastError };
}
