/**
 * The calendar component rendered to HTML (server render, as the page's first paint) with the
 * tRPC hooks replaced by fixed data: items land on the organization's day and hour, the zone is
 * labelled, only reschedulable items are draggable, a crowded day shows "+N", and every text
 * comes from the messages (a missing key would throw).
 */
import { NextIntlClientProvider } from "next-intl";
import { createElement, type ComponentProps, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { beforeEach, describe, expect, it, vi } from "vitest";

import en from "../../messages/en.json";
import ptBR from "../../messages/pt-BR.json";
import analyticsEn from "../../messages/parts/analytics.en.json";
import analyticsPt from "../../messages/parts/analytics.pt-BR.json";

// The shared messages plus this area's part (the app merges every part; src/i18n/messages.ts).
type ProviderProps = ComponentProps<typeof NextIntlClientProvider>;
type Tree = { [key: string]: string | Tree };
function merge(a: Tree, b: Tree): Tree {
  const out: Tree = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = typeof v === "object" && typeof out[k] === "object" ? merge(out[k], v) : v;
  return out;
}
const MESSAGES = { "pt-BR": merge(ptBR as Tree, analyticsPt as Tree), en: merge(en as Tree, analyticsEn as Tree) };

type Row = {
  id: string;
  contentId: string;
  contentTitle: string;
  network: "INSTAGRAM" | "TIKTOK" | "YOUTUBE";
  connectionId: string;
  accountName: string | null;
  status: "SCHEDULED" | "DISPATCHED" | "PUBLISHING" | "PUBLISHED" | "UNCONFIRMED" | "FAILED" | "CANCELED";
  scheduledAt: Date;
  publishedAt: Date | null;
  permalink: string | null;
  thumbnailUrl: string | null;
  failureReason: string | null;
};

const state: { rows: Row[]; lastInput: unknown } = { rows: [], lastInput: null };

vi.mock("next/link", () => ({
  default: ({ href, children, ...rest }: { href: string; children: ReactNode }) => createElement("a", { href, ...rest }, children),
}));
vi.mock("sonner", () => ({ toast: { success: vi.fn(), error: vi.fn(), info: vi.fn() } }));
vi.mock("~/trpc/react", () => ({
  api: {
    useUtils: () => ({ publications: { calendar: { cancel: vi.fn(), getData: vi.fn(), setData: vi.fn(), invalidate: vi.fn() } } }),
    publications: {
      calendar: {
        useQuery: (input: unknown) => {
          state.lastInput = input;
          return { data: state.rows, isSuccess: true, isPending: false, isError: false, isFetching: false, error: null, refetch: vi.fn() };
        },
      },
      reschedule: { useMutation: () => ({ mutate: vi.fn(), isPending: false }) },
    },
  },
}));

const { SocialCalendar } = await import("~/components/calendar/social-calendar");

function row(id: string, overrides: Partial<Row>): Row {
  return {
    id,
    contentId: `content-${id}`,
    contentTitle: `Post ${id}`,
    network: "INSTAGRAM",
    connectionId: "conn-1",
    accountName: "@loja",
    status: "SCHEDULED",
    scheduledAt: new Date("2026-11-26T13:00:00Z"),
    publishedAt: null,
    permalink: null,
    thumbnailUrl: null,
    failureReason: null,
    ...overrides,
  };
}

function render(props: { timeZone: string; today: string; canReschedule: boolean; initialView?: "month" | "week"; initialDay?: string }, locale: "pt-BR" | "en" = "pt-BR") {
  return renderToString(
    createElement(NextIntlClientProvider, { locale, messages: MESSAGES[locale], timeZone: "UTC" } as ProviderProps, createElement(SocialCalendar, props)),
  );
}

function items(html: string) {
  return [...html.matchAll(/<button[^>]*data-testid="calendar-item"[^>]*>/g)].map((m) => m[0]);
}

describe("calendar render", () => {
  beforeEach(() => {
    state.rows = [];
  });

  it("asks for the month in the organization's zone and labels the zone", () => {
    const html = render({ timeZone: "America/Sao_Paulo", today: "2026-11-26", canReschedule: true });
    expect(state.lastInput).toEqual({ from: new Date("2026-11-01T03:00:00Z"), to: new Date("2026-12-06T03:00:00Z") });
    expect(html).toMatch(/Brasília \(UTC\u221203:00\)/);
    expect(html).toContain("novembro de 2026");
    // Nothing scheduled: the empty state links to the content page.
    expect(html).toContain('href="/social/content"');
  });

  it("places items on the zone's day, drags only scheduled and failed ones, and shows +N on a crowded day", () => {
    state.rows = [
      // 22:30 on the 26th in São Paulo, 01:30 on the 27th in UTC.
      row("late", { scheduledAt: new Date("2026-11-27T01:30:00Z") }),
      row("done", { status: "PUBLISHED", scheduledAt: new Date("2026-11-26T12:00:00Z"), publishedAt: new Date("2026-11-26T12:01:00Z"), network: "TIKTOK" }),
      row("failed", { status: "FAILED", scheduledAt: new Date("2026-11-26T11:00:00Z"), failureReason: "Imagem recusada" }),
      row("busy", { status: "PUBLISHING", scheduledAt: new Date("2026-11-26T10:00:00Z"), network: "YOUTUBE" }),
      row("canceled", { status: "CANCELED", scheduledAt: new Date("2026-11-20T10:00:00Z") }),
    ];
    const html = render({ timeZone: "America/Sao_Paulo", today: "2026-11-26", canReschedule: true });
    const cell = html.slice(html.indexOf('data-day="2026-11-26"'), html.indexOf('data-day="2026-11-27"'));
    // Four items on the 26th, three fit: two chips and "+2".
    expect(items(cell)).toHaveLength(2);
    expect(cell).toContain("+2 mais");
    expect(html).not.toContain("Post canceled");
    const all = items(html);
    const draggable = all.filter((b) => b.includes('draggable="true"'));
    expect(draggable.every((b) => /data-status="(scheduled|failed)"/.test(b))).toBe(true);
    expect(all.find((b) => b.includes('data-status="publishing"'))).toContain('draggable="false"');
  });

  it("does not let a reader drag, and shows the week by the zone's hours (New York, spring forward)", () => {
    state.rows = [row("a", { scheduledAt: new Date("2026-03-08T07:30:00Z") })]; // 03:30 EDT
    const html = render({ timeZone: "America/New_York", today: "2026-03-10", canReschedule: false, initialView: "week", initialDay: "2026-03-10" }, "en");
    expect(state.lastInput).toEqual({ from: new Date("2026-03-08T05:00:00Z"), to: new Date("2026-03-15T04:00:00Z") });
    expect(items(html)).toHaveLength(1);
    expect(items(html).every((b) => b.includes('draggable="false"'))).toBe(true);
    const slot = html.slice(html.indexOf('data-slot="2026-03-08T03"'), html.indexOf('data-slot="2026-03-09T03"'));
    expect(items(slot)).toHaveLength(1);
    // 02:00 does not exist that Sunday: the slot is marked; the next day's 02:00 is not.
    expect(html).toMatch(/data-slot="2026-03-08T02"[^>]*data-missing-hour="true"/);
    expect(html).not.toMatch(/data-slot="2026-03-09T02"[^>]*data-missing-hour/);
    expect(html).toMatch(/Eastern Time \(UTC\u221205:00\)/);
    expect(html).not.toContain("Drag a scheduled");
  });
});
