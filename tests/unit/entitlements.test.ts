import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";

import { MESSAGES } from "~/i18n/messages";
import { planLimitError, seatRole, subscriptionBasis } from "~/server/billing/entitlements";

const NOW = new Date("2026-11-26T12:00:00Z");
const DAY = 86_400_000;
const at = (days: number) => new Date(NOW.getTime() + days * DAY);

describe("subscriptionBasis", () => {
  it("keeps the plan while active or in a running trial", () => {
    expect(subscriptionBasis({ status: "ACTIVE", graceUntil: null, trialEndsAt: null }, NOW)).toBe("subscription");
    expect(subscriptionBasis({ status: "TRIALING", graceUntil: null, trialEndsAt: at(3) }, NOW)).toBe("subscription");
    expect(subscriptionBasis({ status: "TRIALING", graceUntil: null, trialEndsAt: null }, NOW)).toBe("subscription");
  });

  it("a lapsed trial is the free plan (the instant it ends included)", () => {
    expect(subscriptionBasis({ status: "TRIALING", graceUntil: null, trialEndsAt: NOW }, NOW)).toBe("free");
    expect(subscriptionBasis({ status: "TRIALING", graceUntil: null, trialEndsAt: at(-1) }, NOW)).toBe("free");
  });

  it("past_due keeps the plan until the grace period ends", () => {
    expect(subscriptionBasis({ status: "PAST_DUE", graceUntil: at(1), trialEndsAt: null }, NOW)).toBe("grace");
    expect(subscriptionBasis({ status: "PAST_DUE", graceUntil: NOW, trialEndsAt: null }, NOW)).toBe("free");
    expect(subscriptionBasis({ status: "PAST_DUE", graceUntil: null, trialEndsAt: null }, NOW)).toBe("free");
  });

  it("canceled, incomplete or no subscription is the free plan", () => {
    expect(subscriptionBasis({ status: "CANCELED", graceUntil: at(5), trialEndsAt: null }, NOW)).toBe("free");
    expect(subscriptionBasis({ status: "INCOMPLETE", graceUntil: null, trialEndsAt: null }, NOW)).toBe("free");
    expect(subscriptionBasis(null, NOW)).toBe("free");
  });
});

describe("seatRole", () => {
  it("members within the seats keep their role; the newest beyond act as viewers", () => {
    expect(seatRole("MANAGER", 1, 2)).toBe("MANAGER");
    expect(seatRole("MANAGER", 2, 2)).toBe("VIEWER");
    expect(seatRole("OPERATOR", 5, 2)).toBe("VIEWER");
  });

  it("owners are never demoted", () => {
    expect(seatRole("OWNER", 9, 2)).toBe("OWNER");
  });
});

describe("planLimitError", () => {
  it("is PAYMENT_REQUIRED planLimitReached with the limit, the usage, the plan and the plan that lifts it", () => {
    const error = planLimitError({
      allowed: false,
      key: "seats",
      used: 2,
      limit: 2,
      plan: { code: "gratis", name: "Grátis", limits: { marketplaceAccounts: 1, listings: 200, socialAccounts: 1, postsPerMonth: 20, aiCreditsPerMonth: 50, seats: 2 } },
      upgradePlan: { code: "pro", name: "Pro", limit: 10 },
    });
    expect(error).toMatchObject({ code: "PAYMENT_REQUIRED", reason: "planLimitReached" });
    expect(error.details).toEqual({ limit: "seats", used: 2, max: 2, plan: "Grátis", planCode: "gratis", upgradePlan: "Pro", upgradePlanCode: "pro", upgradeLimit: 10 });
    expect(error.message).toContain("Pro");
  });

  it("names no upgrade when no plan lifts the limit", () => {
    const error = planLimitError({
      allowed: false,
      key: "listings",
      used: 100_000,
      limit: 100_000,
      plan: { code: "agencia", name: "Agência", limits: { marketplaceAccounts: 20, listings: 100_000, socialAccounts: 40, postsPerMonth: 3000, aiCreditsPerMonth: 10_000, seats: 50 } },
      upgradePlan: null,
    });
    expect(error.details).toMatchObject({ upgradePlan: null, upgradePlanCode: null, upgradeLimit: null });
  });
});

describe("entitlement messages", () => {
  // The merged messages are typed as a plain tree: translate with string keys.
  type Translate = (key: string, params?: Record<string, string | number>) => string;
  const t = createTranslator({ locale: "pt-BR", messages: MESSAGES["pt-BR"] }) as unknown as Translate;
  const en = createTranslator({ locale: "en", messages: MESSAGES.en }) as unknown as Translate;

  it("planLimitReached names the limit, the usage, the plan and the upgrade (or none)", () => {
    const params = { limit: t("limits.seats"), used: 2, max: 2, plan: "Grátis", upgradePlan: "Pro", upgradeLimit: 10 };
    expect(t("errors.planLimitReached", params)).toBe("Limite do plano atingido: membros — 2 de 2 no plano Grátis. O plano Pro permite 10.");
    expect(t("errors.planLimitReached", { ...params, upgradePlan: "none" })).toContain("Fale com a gente");
    expect(en("errors.planLimitReached", { ...params, limit: en("limits.seats") })).toBe("Plan limit reached: members — 2 of 2 on the Grátis plan. The Pro plan allows 10.");
  });

  it("the listings notification counts what was left out", () => {
    const params = { skipped: 30, account: "LOJA", max: 200, plan: "Grátis", upgradePlan: "Pro", upgradeLimit: 5000 };
    expect(t("notifications.kinds.listings.limitReached", params)).toContain("30 anúncios da conta LOJA ficaram de fora");
    expect(t("notifications.kinds.listings.limitReached", { ...params, skipped: 1 })).toContain("1 anúncio da conta LOJA ficou de fora");
  });
});
