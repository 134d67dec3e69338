/**
 * The header's bell and Settings → Notificações rendered to HTML with the tRPC hooks replaced by
 * fixed data: the unread badge (and its cap), the preferences table with one row per category the
 * role receives and each channel's checkbox in its stored state. Every text comes from the app's
 * messages (a missing key would throw).
 */
import { NextIntlClientProvider } from "next-intl";
import { createElement, type ComponentProps, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";

import { MESSAGES } from "~/i18n/messages";

const state = { count: 0, categories: [] as Array<{ category: string; inApp: boolean; email: boolean }> };
const noop = vi.fn();
const mutation = () => ({ mutate: noop, isPending: false });

vi.mock("next/link", () => ({
  default: ({ href, children, ...rest }: { href: string; children: ReactNode }) => createElement("a", { href, ...rest }, children),
}));
vi.mock("sonner", () => ({ toast: { success: vi.fn(), error: vi.fn() } }));
vi.mock("~/trpc/react", () => ({
  api: {
    useUtils: () => ({ notifications: { list: { invalidate: noop }, unreadCount: { invalidate: noop }, preferences: { setData: noop } } }),
    notifications: {
      unreadCount: { useQuery: () => ({ data: { count: state.count } }) },
      preferences: { useQuery: () => ({ isPending: false, isError: false, data: { categories: state.categories } }) },
      updatePreferences: { useMutation: mutation },
      markRead: { useMutation: mutation },
      markAllRead: { useMutation: mutation },
    },
  },
}));

const { NotificationsBell } = await import("~/components/notifications/notifications-bell");
const { NotificationPreferences } = await import("~/components/notifications/notification-preferences");

type ProviderProps = ComponentProps<typeof NextIntlClientProvider>;
function render(node: ReactNode, locale: "pt-BR" | "en" = "pt-BR") {
  return renderToString(createElement(NextIntlClientProvider, { locale, messages: MESSAGES[locale], timeZone: "America/Sao_Paulo" } as ProviderProps, node));
}

describe("notifications bell", () => {
  it("shows the person's unread count, capped at 99+, and no badge at zero", () => {
    state.count = 3;
    const html = render(createElement(NotificationsBell));
    expect(html).toContain("3 não lidas");
    expect(html).toMatch(/>3<\/span>/);
    state.count = 140;
    expect(render(createElement(NotificationsBell))).toContain(">99+</span>");
    state.count = 0;
    const none = render(createElement(NotificationsBell), "en");
    expect(none).toContain("None unread");
    expect(none).not.toMatch(/rounded-full bg-red-600/);
  });
});

describe("notification preferences", () => {
  it("lists each category the role receives with its in-app and e-mail choice", () => {
    state.categories = [
      { category: "connections", inApp: true, email: true },
      { category: "publishing", inApp: false, email: false },
      { category: "actions", inApp: true, email: false },
    ];
    const html = render(createElement(NotificationPreferences));
    expect(html).toContain("Assuntos e canais");
    expect(html.match(/<tr data-category=/g)).toHaveLength(3);
    expect(html).toContain("Conexões");
    expect(html).toContain("Publicações");
    expect(html).not.toContain("Cobrança");
    const checked = (category: string, channel: string) => {
      const row = html.split("</tr>").find((r) => r.includes(`data-category="${category}"`))!;
      const input = new RegExp(`<input[^>]*data-channel="${channel}"[^>]*>`).exec(row)![0];
      return / checked=""/.test(input);
    };
    expect(checked("connections", "inApp")).toBe(true);
    expect(checked("connections", "email")).toBe(true);
    expect(checked("publishing", "inApp")).toBe(false);
    expect(checked("actions", "email")).toBe(false);
    expect(html).toContain('aria-label="Conexões: Por e-mail"');
  });

  it("speaks English too", () => {
    state.categories = [{ category: "billing", inApp: true, email: false }];
    const html = render(createElement(NotificationPreferences), "en");
    expect(html).toContain("Billing");
    expect(html).toContain("By e-mail");
    expect(html).toContain("Save preferences");
  });
});
