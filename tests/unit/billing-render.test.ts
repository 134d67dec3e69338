/**
 * Settings → Billing and the plan-limit notice rendered to HTML (the page's first paint) with the
 * tRPC hooks replaced by fixed data: the test-mode banner, one accessible bar per limit (amber from
 * 80 %, red at the limit, monthly ones say when they reset), BRL prices with the yearly saving,
 * plan buttons only for owners, invoices with their test label, AI usage by feature, and a
 * planLimitReached error turned into words naming the limit, the plan and the plan that lifts it.
 * Every text comes from the app's messages (a missing key would throw).
 */
import { NextIntlClientProvider } from "next-intl";
import { createElement, type ComponentProps, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { MESSAGES } from "~/i18n/messages";

const PLANS = [
  { code: "gratis", name: "Grátis", priceMonthlyCents: 0, priceYearlyCents: 0, currency: "BRL", limits: { marketplaceAccounts: 1, listings: 200, socialAccounts: 1, postsPerMonth: 20, aiCreditsPerMonth: 50, seats: 2 } },
  { code: "pro", name: "Pro", priceMonthlyCents: 14900, priceYearlyCents: 149000, currency: "BRL", limits: { marketplaceAccounts: 3, listings: 5000, socialAccounts: 5, postsPerMonth: 300, aiCreditsPerMonth: 1000, seats: 10 } },
  { code: "agencia", name: "Agência", priceMonthlyCents: 49900, priceYearlyCents: 499000, currency: "BRL", limits: { marketplaceAccounts: 20, listings: 100000, socialAccounts: 40, postsPerMonth: 3000, aiCreditsPerMonth: 10000, seats: 50 } },
];

type State = { current: Record<string, unknown>; invoices: Record<string, unknown>[]; ai: Record<string, unknown> };
const state = {} as State;

function freeCurrent() {
  return {
    plan: PLANS[0],
    basis: "free",
    subscription: null,
    stripeConfigured: false,
    usage: [
      { key: "marketplaceAccounts", used: 1, limit: 1 },
      { key: "listings", used: 170, limit: 200 },
      { key: "socialAccounts", used: 0, limit: 1 },
      { key: "postsPerMonth", used: 3, limit: 20 },
      { key: "aiCreditsPerMonth", used: 12, limit: 50 },
      { key: "seats", used: 1, limit: 2 },
    ],
  };
}

const noop = vi.fn();
vi.mock("next/link", () => ({
  default: ({ href, children, ...rest }: { href: string; children: ReactNode }) => createElement("a", { href, ...rest }, children),
}));
vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh: noop, push: noop }) }));
vi.mock("sonner", () => ({ toast: { success: vi.fn(), error: vi.fn(), info: vi.fn() } }));
vi.mock("~/trpc/react", () => ({
  api: {
    useUtils: () => ({ billing: { invalidate: noop } }),
    billing: {
      current: { useSuspenseQuery: () => [state.current] },
      plans: { useSuspenseQuery: () => [PLANS] },
      invoices: {
        useInfiniteQuery: () => ({ data: { pages: [{ items: state.invoices, nextCursor: null }] }, isPending: false, isError: false, hasNextPage: state.invoices.length > 0, isFetchingNextPage: false, fetchNextPage: noop }),
      },
      aiUsage: { useQuery: () => ({ data: state.ai, isError: false, isFetching: false }) },
      checkout: { useMutation: () => ({ mutate: noop, isPending: false }) },
      portal: { useMutation: () => ({ mutate: noop, isPending: false }) },
    },
  },
}));

const { BillingManager } = await import("~/components/billing/billing-manager");
const { yearlySaving } = await import("~/components/billing/plans-card");
const { lastMonths } = await import("~/components/billing/ai-usage-card");
const { usageLevel } = await import("~/components/billing/usage-bars");
const { PlanLimitNotice } = await import("~/components/billing/plan-limit-notice");
const { useErrorMessage } = await import("~/components/use-error-message");

type ProviderProps = ComponentProps<typeof NextIntlClientProvider>;

function render(locale: "pt-BR" | "en", node: ReactNode) {
  return renderToString(createElement(NextIntlClientProvider, { locale, messages: MESSAGES[locale], timeZone: "America/Sao_Paulo" } as ProviderProps, node));
}

const page = (canManage: boolean, checkoutResult: "success" | "canceled" | null = null) =>
  createElement(BillingManager, { canManage, webhookUrl: "http://localhost:3000/api/v1/webhooks/stripe", currentMonth: "2026-11", checkoutResult });

/** The attributes of the progress bar labelled `label`. */
function bar(html: string, label: string) {
  const tag = html.match(new RegExp(`<div[^>]*role="progressbar"[^>]*aria-label="${label}"[^>]*>`))?.[0];
  expect(tag, label).toBeTruthy();
  const attr = (name: string) => tag!.match(new RegExp(`${name}="([^"]*)"`))?.[1];
  return { now: attr("aria-valuenow"), max: attr("aria-valuemax"), text: attr("aria-valuetext") };
}

beforeEach(() => {
  state.current = freeCurrent();
  state.invoices = [];
  state.ai = { month: "2026-11", credits: 0, creditLimit: 50, calls: 0, promptTokens: 0, completionTokens: 0, costMicroUsd: 0, byFeature: [], byDay: [] };
});

describe("Settings → Billing", () => {
  it("on the free plan in test mode: the banner says how to connect Stripe, every limit has a labelled bar", () => {
    const html = render("pt-BR", page(true));
    expect(html).toContain("Modo de teste: o Stripe não está conectado");
    expect(html).toContain("STRIPE_SECRET_KEY");
    expect(html).toContain("http://localhost:3000/api/v1/webhooks/stripe");
    expect(html).toContain("docs/billing.md");
    expect(html).toContain("Grátis");
    expect(html).toContain("Ativa");
    expect(bar(html, "Contas de marketplace")).toEqual({ now: "1", max: "1", text: "1 de 1" });
    expect(bar(html, "Anúncios")).toEqual({ now: "170", max: "200", text: "170 de 200" });
    for (const label of ["Contas de redes sociais", "Publicações por mês", "Créditos de IA por mês", "Membros"]) bar(html, label);
    // Six limits plus the AI card's credits bar.
    expect(html.match(/role="progressbar"/g)).toHaveLength(7);
    expect(html).toMatch(/data-testid="usage-marketplaceAccounts" data-level="full"/);
    expect(html).toMatch(/data-testid="usage-listings" data-level="near"/);
    expect(html).toMatch(/data-testid="usage-seats" data-level="ok"/);
    expect(html).toContain("Limite atingido");
    expect(html).toContain("Perto do limite");
    // Posts and AI credits are monthly.
    expect(html.match(/Reinicia no dia 1º de cada mês/g)).toHaveLength(2);
  });

  it("lists the plans in reais with their limits; an owner may subscribe, the current plan is marked", () => {
    const html = render("pt-BR", page(true));
    expect(html).toContain("R$\u00a0149,00/mês");
    expect(html).toContain("R$\u00a0499,00/mês");
    expect(html).toMatch(/data-plan="gratis"[^>]*>.*?Plano atual/);
    expect(html.match(/>Assinar</g)).toHaveLength(2);
    expect(html).toContain("5.000 anúncios acompanhados");
    expect(html).toContain("1 conta de marketplace<");
    expect(html).toContain("3 contas de marketplace<");
    expect(html).toContain("1.000 créditos de IA por mês");
    expect(html).toContain("Sem custo mensal");
    expect(html).not.toContain("Gerenciar pagamento e cancelamento");
  });

  it("a manager reads the page without plan buttons and is told who changes the plan", () => {
    const html = render("pt-BR", page(false));
    expect(html).not.toContain(">Assinar<");
    expect(html).not.toContain("Mudar para este plano");
    expect(html).toContain("Somente proprietários trocam de plano.");
  });

  it("on Pro: status, renewal date and test label; cheaper and dearer plans offer a change; Stripe configured shows the portal", () => {
    state.current = {
      ...freeCurrent(),
      plan: PLANS[1],
      basis: "subscription",
      stripeConfigured: true,
      subscription: { planCode: "pro", status: "ACTIVE", interval: "MONTH", currentPeriodEnd: new Date("2026-12-26T12:00:00Z"), cancelAtPeriodEnd: false, graceUntil: null, testMode: false },
    };
    const html = render("pt-BR", page(true));
    expect(html).not.toContain("Modo de teste");
    expect(html).toContain("Renova em 26 de dezembro de 2026");
    expect(html.match(/>Mudar para este plano</g)).toHaveLength(2);
    expect(html).toContain("Gerenciar pagamento e cancelamento");
  });

  it("past due: the badge names the grace date; a canceled-at-period-end plan says when it ends", () => {
    state.current = {
      ...freeCurrent(),
      plan: PLANS[1],
      basis: "grace",
      stripeConfigured: true,
      subscription: { planCode: "pro", status: "PAST_DUE", interval: "MONTH", currentPeriodEnd: new Date("2026-12-26T12:00:00Z"), cancelAtPeriodEnd: true, graceUntil: new Date("2026-12-03T12:00:00Z"), testMode: false },
    };
    const html = render("pt-BR", page(true));
    expect(html).toContain("Pagamento pendente: o plano continua valendo até 3 de dezembro de 2026");
    expect(html).toContain("o plano termina em 26 de dezembro de 2026");
  });

  it("a lapsed subscription says which plan's limits apply", () => {
    state.current = {
      ...freeCurrent(),
      subscription: { planCode: "pro", status: "CANCELED", interval: "MONTH", currentPeriodEnd: null, cancelAtPeriodEnd: false, graceUntil: null, testMode: false },
    };
    const en = render("en", page(true));
    expect(en).toContain("Your Pro subscription is not active, so the Grátis plan");
    expect(en).toContain("Canceled");
  });

  it("invoices: number, period, amount in reais, status, test label; an empty list explains itself", () => {
    expect(render("pt-BR", page(true))).toContain("Nenhuma fatura ainda");
    state.invoices = [
      {
        id: "inv1", number: "TEST-0001", status: "paid", amountDueCents: 14900, amountPaidCents: 14900, currency: "brl", description: "Pro (mensal)",
        periodStart: new Date("2026-11-26T12:00:00Z"), periodEnd: new Date("2026-12-26T12:00:00Z"), hostedInvoiceUrl: null, invoicePdfUrl: "https://example.test/pdf", testMode: true, createdAt: new Date("2026-11-26T12:00:00Z"),
      },
    ];
    const html = render("pt-BR", page(true));
    expect(html).toContain("TEST-0001");
    expect(html).toContain("R$\u00a0149,00");
    expect(html).toContain(">Paga<");
    expect(html).toContain(">Teste<");
    expect(html).toContain("26 de nov. de 2026 a 26 de dez. de 2026");
    expect(html).toContain('href="https://example.test/pdf"');
    expect(html).toContain("Carregar mais");
  });

  it("AI usage: credits against the plan, tokens, cost in dollars, features by name; none → empty state", () => {
    expect(render("pt-BR", page(true))).toContain("Nenhum uso de IA neste mês");
    state.ai = {
      month: "2026-11", credits: 12, creditLimit: 50, calls: 3, promptTokens: 1200, completionTokens: 300, costMicroUsd: 1500,
      byFeature: [{ feature: "actions.title", calls: 2, credits: 8, tokens: 1000, costMicroUsd: 1000 }, { feature: "comment_reply", calls: 1, credits: 4, tokens: 500, costMicroUsd: 500 }],
      byDay: [],
    };
    const html = render("pt-BR", page(true));
    expect(bar(html, "Créditos de IA")).toEqual({ now: "12", max: "50", text: "12 de 50" });
    expect(html).toContain("1.500");
    expect(html).toContain("US$\u00a00,0015");
    expect(html).toContain("Títulos de anúncios");
    expect(html).toContain("Respostas a comentários");
    // The picker offers the last six months, newest first.
    expect(html).toMatch(/<option value="2026-11"[^>]*>novembro de 2026<\/option>.*<option value="2026-06"[^>]*>junho de 2026<\/option>/);
  });

  it("back from Checkout: success and cancel are said", () => {
    expect(render("pt-BR", page(true, "success"))).toContain("Pagamento concluído.");
    expect(render("en", page(true, "canceled"))).toContain("Payment canceled. Nothing changed in your plan.");
  });
});

describe("plan-limit errors", () => {
  const error = {
    data: {
      code: "PAYMENT_REQUIRED",
      reason: "planLimitReached",
      details: { limit: "marketplaceAccounts", used: 1, max: 1, plan: "Grátis", planCode: "gratis", upgradePlan: "Pro", upgradePlanCode: "pro", upgradeLimit: 3 },
    },
  };
  function Harness({ failure }: { failure: unknown }) {
    const { describe } = useErrorMessage();
    const described = describe(failure);
    return described.planLimit ? createElement(PlanLimitNotice, { message: described.message, limit: described.planLimit }) : createElement("p", null, described.message);
  }

  it("name the limit, the usage, the plan and the plan that lifts it, with a link to the plans", () => {
    const html = render("pt-BR", createElement(Harness, { failure: error }));
    expect(html).toContain("Limite do plano atingido: contas de marketplace — 1 de 1 no plano Grátis. O plano Pro permite 3.");
    expect(html).toContain('href="/settings/billing"');
    expect(html).toContain("Ver planos");
    expect(html).toContain('data-limit="marketplaceAccounts"');
    const en = render("en", createElement(Harness, { failure: error }));
    expect(en).toContain("marketplace accounts");
    expect(en).toContain("See plans");
  });

  it("with no plan to lift it, say so instead of naming one", () => {
    const top = { data: { ...error.data, details: { ...error.data.details, plan: "Agência", upgradePlan: null, upgradePlanCode: null, upgradeLimit: null } } };
    const html = render("pt-BR", createElement(Harness, { failure: top }));
    expect(html).toContain("no plano Agência. Fale com a gente para um limite maior.");
  });

  it("other errors keep their plain message", () => {
    const html = render("pt-BR", createElement(Harness, { failure: { data: { code: "FORBIDDEN" } } }));
    expect(html).not.toContain("Ver planos");
    expect(html).not.toContain("Limite do plano");
  });
});

describe("billing helpers", () => {
  it("usage level: amber from 80 %, red at or past the limit", () => {
    expect(usageLevel(7, 10)).toBe("ok");
    expect(usageLevel(8, 10)).toBe("near");
    expect(usageLevel(10, 10)).toBe("full");
    expect(usageLevel(12, 10)).toBe("full");
  });

  it("yearly saving against twelve monthly payments", () => {
    expect(yearlySaving(PLANS[1]!)).toBeCloseTo(1 - 149000 / 178800, 6);
    expect(yearlySaving(PLANS[0]!)).toBe(0);
  });

  it("last six months across a year boundary", () => {
    expect(lastMonths("2026-02")).toEqual(["2026-02", "2026-01", "2025-12", "2025-11", "2025-10", "2025-09"]);
  });
});
