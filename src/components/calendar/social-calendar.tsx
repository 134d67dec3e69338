"use client";

import { CalendarDays, ChevronLeft, ChevronRight, ExternalLink, Globe } from "lucide-react";
import Link from "next/link";
import { useFormatter, useLocale, useTranslations } from "next-intl";
import { useEffect, useMemo, useRef, useState } from "react";
import { toast } from "sonner";

import { Badge } from "~/components/ui/badge";
import { Button, buttonVariants } from "~/components/ui/button";
import { cn } from "~/components/ui/cn";
import { Dialog, DialogFooter } from "~/components/ui/dialog";
import { EmptyState } from "~/components/ui/empty-state";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { useErrorMessage } from "~/components/use-error-message";
import { toZonedInputs, zonedWallTimeToUtc } from "~/lib/time/zoned";
import { api, type RouterInputs, type RouterOutputs } from "~/trpc/react";
import {
  calendarStatus,
  cellOverflow,
  dropOnDay,
  dropOnSlot,
  groupByDay,
  groupBySlot,
  hoursOfDay,
  isReschedulable,
  monthGrid,
  monthOf,
  placedAt,
  shiftAnchor,
  slotKey,
  visibleRange,
  weekDays,
  zoneLabel,
  type CalendarView,
  type DayKey,
} from "./layout";
import { NETWORK_BAR, NETWORK_DOT, NETWORKS, STATUS_CHIP, STATUS_TONE, type Network } from "./network-style";
import { NetworkToggles } from "./network-toggles";

export type CalendarItem = RouterOutputs["publications"]["calendar"][number];
type CalendarInput = RouterInputs["publications"]["calendar"];

/** Items a month cell shows before "+N more". */
const CELL_MAX = 3;
const HOURS = Array.from({ length: 24 }, (_, h) => h);
const DRAG_TYPE = "application/x-publication-id";

/** Noon UTC of a day key: formatting it in UTC gives that calendar day whatever the zones involved. */
const noonOf = (day: DayKey) => new Date(`${day}T12:00:00Z`);

export function SocialCalendar(props: { timeZone: string; today: DayKey; canReschedule: boolean; initialView?: CalendarView; initialDay?: DayKey }) {
  const { timeZone, today, canReschedule } = props;
  const t = useTranslations("calendar");
  const tNetworks = useTranslations("providers");
  const format = useFormatter();
  const locale = useLocale();
  const { describe, toastError } = useErrorMessage();
  const utils = api.useUtils();

  const [view, setView] = useState<CalendarView>(props.initialView ?? "month");
  const [anchor, setAnchor] = useState<DayKey>(props.initialDay ?? today);
  // The address keeps the view and day, so a reload or a shared link opens the same page.
  useEffect(() => {
    const url = new URL(window.location.href);
    url.searchParams.set("view", view);
    url.searchParams.set("date", anchor);
    window.history.replaceState(window.history.state, "", url);
  }, [view, anchor]);
  const [networks, setNetworks] = useState<Network[]>(NETWORKS);
  const [openId, setOpenId] = useState<string | null>(null);
  const [openDay, setOpenDay] = useState<DayKey | null>(null);
  const [dragId, setDragId] = useState<string | null>(null);
  const [overKey, setOverKey] = useState<string | null>(null);

  const range = useMemo(() => visibleRange(view, anchor, timeZone), [view, anchor, timeZone]);
  const input: CalendarInput = { from: range.from, to: range.to, ...(networks.length < NETWORKS.length ? { networks } : {}) };
  const calendar = api.publications.calendar.useQuery(input, {
    enabled: networks.length > 0,
    // Posts on their way change status within seconds; otherwise a slow refresh keeps the page current.
    refetchInterval: (query) => (query.state.data?.some((i) => i.status === "DISPATCHED" || i.status === "PUBLISHING") ? 5_000 : 60_000),
  });
  const items = useMemo(() => (networks.length === 0 ? [] : (calendar.data ?? []).filter((i) => i.status !== "CANCELED")), [calendar.data, networks.length]);
  const byId = useMemo(() => new Map(items.map((i) => [i.id, i])), [items]);
  const opened = openId ? (byId.get(openId) ?? null) : null;

  const reschedule = api.publications.reschedule.useMutation({
    // The item moves at once; the server's answer (or refusal) settles it.
    onMutate: async ({ id, scheduledAt }) => {
      await utils.publications.calendar.cancel(input);
      const previous = utils.publications.calendar.getData(input);
      utils.publications.calendar.setData(input, (rows) =>
        rows?.map((row) => (row.id === id ? { ...row, scheduledAt, status: "SCHEDULED" as const, failureReason: null } : row)),
      );
      return { previous };
    },
    onError: (error, _vars, context) => {
      if (context?.previous) utils.publications.calendar.setData(input, context.previous);
      // A month over the plan's posts: the toast names the limit and offers the plans.
      if (describe(error).planLimit) toastError(error);
      else toast.error(t("rescheduleFailed", { reason: describe(error).message }));
    },
    onSuccess: (row) => toast.success(t("rescheduled", { when: formatWhen(row.scheduledAt) })),
    onSettled: () => utils.publications.calendar.invalidate(),
  });

  const formatWhen = (instant: Date) => format.dateTime(instant, { timeZone, dateStyle: "medium", timeStyle: "short" });
  const formatTime = (instant: Date) => format.dateTime(instant, { timeZone, hour: "2-digit", minute: "2-digit" });
  const movable = (item: CalendarItem) => canReschedule && isReschedulable(item.status);

  const move = (id: string, to: (scheduledAt: Date) => Date) => {
    const item = byId.get(id);
    if (!item || !movable(item)) return;
    const scheduledAt = to(item.scheduledAt);
    if (scheduledAt.getTime() === item.scheduledAt.getTime() && item.status === "SCHEDULED") return;
    reschedule.mutate({ id, scheduledAt });
  };

  const dropProps = (key: string, onDrop: (id: string) => void) => ({
    onDragOver: (e: React.DragEvent) => {
      if (!dragId) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = "move";
      if (overKey !== key) setOverKey(key);
    },
    onDragLeave: () => setOverKey((k) => (k === key ? null : k)),
    onDrop: (e: React.DragEvent) => {
      e.preventDefault();
      const id = e.dataTransfer.getData(DRAG_TYPE) || dragId;
      setOverKey(null);
      setDragId(null);
      if (id) onDrop(id);
    },
  });

  const chip = (item: CalendarItem, compact = false) => {
    const status = calendarStatus(item.status);
    const canDrag = movable(item);
    const network = item.network as Network;
    return (
      <button
        key={item.id}
        type="button"
        draggable={canDrag}
        onDragStart={(e) => {
          e.dataTransfer.setData(DRAG_TYPE, item.id);
          e.dataTransfer.effectAllowed = "move";
          setDragId(item.id);
        }}
        onDragEnd={() => {
          setDragId(null);
          setOverKey(null);
        }}
        onClick={() => setOpenId(item.id)}
        aria-label={t("itemLabel", { network: tNetworks(network), title: item.contentTitle, time: formatTime(placedAt(item)), status: t(`statuses.${status}`) })}
        data-testid="calendar-item"
        data-status={status}
        className={cn(
          "flex w-full min-w-0 items-center gap-1 rounded border-l-4 px-1.5 py-0.5 text-left text-xs hover:ring-1 hover:ring-slate-300 focus-visible:outline-2 focus-visible:outline-brand-600",
          NETWORK_BAR[network],
          STATUS_CHIP[status],
          canDrag ? "cursor-grab active:cursor-grabbing" : "cursor-pointer",
          dragId === item.id && "opacity-50",
        )}
      >
        <span className="shrink-0 tabular-nums">{formatTime(placedAt(item))}</span>
        {!compact && <span className="truncate">{item.contentTitle}</span>}
        <span className="sr-only">· {t(`statuses.${status}`)}</span>
      </button>
    );
  };

  const toggleNetwork = (n: Network) => setNetworks((list) => (list.includes(n) ? list.filter((x) => x !== n) : NETWORKS.filter((x) => x === n || list.includes(x))));

  const title =
    view === "month"
      ? format.dateTime(noonOf(anchor), { timeZone: "UTC", month: "long", year: "numeric" })
      : formatSpan(weekDays(anchor), format);
  const empty = calendar.isSuccess && items.length === 0;

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center gap-3">
        <div className="flex items-center gap-1">
          <Button variant="secondary" size="icon" aria-label={t(view === "month" ? "previousMonth" : "previousWeek")} onClick={() => setAnchor((a) => shiftAnchor(view, a, -1))}>
            <ChevronLeft aria-hidden="true" />
          </Button>
          <Button variant="secondary" onClick={() => setAnchor(today)}>
            {t("today")}
          </Button>
          <Button variant="secondary" size="icon" aria-label={t(view === "month" ? "nextMonth" : "nextWeek")} onClick={() => setAnchor((a) => shiftAnchor(view, a, 1))}>
            <ChevronRight aria-hidden="true" />
          </Button>
        </div>
        <h2 className="text-lg font-semibold text-slate-900 first-letter:uppercase" aria-live="polite" data-testid="calendar-title">
          {title}
        </h2>
        <div className="ml-auto inline-flex rounded-lg border border-slate-300 bg-white p-0.5" role="group" aria-label={t("viewLabel")}>
          {(["month", "week"] as const).map((v) => (
            <button
              key={v}
              type="button"
              aria-pressed={view === v}
              onClick={() => setView(v)}
              className={cn("rounded-md px-3 py-1.5 text-sm font-medium", view === v ? "bg-brand-700 text-white" : "text-slate-700 hover:bg-slate-100")}
            >
              {t(`views.${v}`)}
            </button>
          ))}
        </div>
      </div>

      <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
        {/* Zone names come from the runtime's ICU data, which may differ slightly between server and browser. */}
        <p className="flex items-center gap-1.5 text-slate-700" data-testid="calendar-zone" suppressHydrationWarning>
          <Globe className="size-4 text-slate-500" aria-hidden="true" />
          {t("timeZone", { zone: zoneLabel(timeZone, locale, range.from) })}
        </p>
        <div className="flex flex-wrap gap-2" role="group" aria-label={t("networksLabel")}>
          <NetworkToggles selected={networks} onToggle={toggleNetwork} />
        </div>
      </div>

      {canReschedule && <p className="text-xs text-slate-600">{t("dragHint")}</p>}

      {calendar.isError && (
        <div role="alert" className="flex items-center gap-3 rounded-xl border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900">
          <span>{t("loadError", { reason: describe(calendar.error).message })}</span>
          <Button size="sm" variant="secondary" onClick={() => void calendar.refetch()}>
            {t("retry")}
          </Button>
        </div>
      )}

      {empty && (
        <EmptyState
          icon={CalendarDays}
          title={t("emptyRange")}
          description={t("emptyRangeDescription")}
          action={
            <Link href="/social/content" className={buttonVariants({ variant: "primary", size: "sm" })}>
              {t("createContent")}
            </Link>
          }
        />
      )}

      <div aria-busy={calendar.isFetching} className={cn(calendar.isPending && networks.length > 0 && "opacity-60")}>
        {view === "month" ? (
          <MonthGrid
            anchor={anchor}
            today={today}
            byDay={groupByDay(items, timeZone)}
            overKey={overKey}
            chip={chip}
            dropProps={(day) => dropProps(day, (id) => move(id, (at) => dropOnDay(at, day, timeZone)))}
            onMore={setOpenDay}
          />
        ) : (
          <WeekGrid
            anchor={anchor}
            timeZone={timeZone}
            today={today}
            bySlot={groupBySlot(items, timeZone)}
            overKey={overKey}
            chip={chip}
            dropProps={(day, hour) => dropProps(slotKey(day, hour), (id) => move(id, (at) => dropOnSlot(at, day, hour, timeZone)))}
          />
        )}
      </div>
      {calendar.isPending && networks.length > 0 && <p className="text-sm text-slate-600">{t("loading")}</p>}

      <Dialog open={openDay !== null} onOpenChange={(o) => !o && setOpenDay(null)} title={openDay ? format.dateTime(noonOf(openDay), { timeZone: "UTC", dateStyle: "full" }) : ""} closeLabel={t("details.close")}>
        <ul className="flex flex-col gap-1.5">
          {openDay &&
            (groupByDay(items, timeZone).get(openDay) ?? []).map((item) => (
              <li key={item.id} onClick={() => setOpenDay(null)}>
                {chip(item)}
              </li>
            ))}
        </ul>
      </Dialog>

      <ItemDialog
        item={opened}
        timeZone={timeZone}
        canReschedule={!!opened && movable(opened)}
        pending={reschedule.isPending}
        formatWhen={formatWhen}
        onClose={() => setOpenId(null)}
        onReschedule={(scheduledAt) => {
          if (!opened) return;
          reschedule.mutate({ id: opened.id, scheduledAt }, { onSuccess: () => setOpenId(null) });
        }}
      />
    </div>
  );
}

function formatSpan(days: DayKey[], format: ReturnType<typeof useFormatter>): string {
  return format.dateTimeRange(noonOf(days[0]!), noonOf(days[days.length - 1]!), { timeZone: "UTC", day: "numeric", month: "short", year: "numeric" });
}

type ChipFn = (item: CalendarItem, compact?: boolean) => React.ReactNode;
type DropProps = { onDragOver: (e: React.DragEvent) => void; onDragLeave: () => void; onDrop: (e: React.DragEvent) => void };

function WeekdayHeader({ days }: { days: DayKey[] }) {
  const format = useFormatter();
  return (
    <>
      {days.map((day) => (
        <div key={day} role="columnheader" className="px-2 py-1.5 text-xs font-medium text-slate-600 uppercase">
          <span aria-hidden="true">{format.dateTime(noonOf(day), { timeZone: "UTC", weekday: "short" })}</span>
          <span className="sr-only">{format.dateTime(noonOf(day), { timeZone: "UTC", weekday: "long" })}</span>
        </div>
      ))}
    </>
  );
}

function MonthGrid(props: {
  anchor: DayKey;
  today: DayKey;
  byDay: Map<DayKey, CalendarItem[]>;
  overKey: string | null;
  chip: ChipFn;
  dropProps: (day: DayKey) => DropProps;
  onMore: (day: DayKey) => void;
}) {
  const t = useTranslations("calendar");
  const format = useFormatter();
  const weeks = monthGrid(props.anchor);
  const month = monthOf(props.anchor).month;
  return (
    <div role="table" aria-label={t("monthGridLabel")} className="overflow-hidden rounded-xl border border-slate-200 bg-white" data-testid="calendar-month">
      <div role="row" className="grid grid-cols-7 border-b border-slate-200 bg-slate-50">
        <WeekdayHeader days={weeks[0]!.map((c) => c.day)} />
      </div>
      {weeks.map((week) => (
        <div role="row" key={week[0]!.day} className="grid grid-cols-7 border-b border-slate-100 last:border-b-0">
          {week.map(({ day, inMonth }) => {
            const list = props.byDay.get(day) ?? [];
            const { visible, hidden } = cellOverflow(list, CELL_MAX);
            const isToday = day === props.today;
            return (
              <div
                role="cell"
                key={day}
                data-day={day}
                aria-label={t("dayLabel", { date: format.dateTime(noonOf(day), { timeZone: "UTC", dateStyle: "full" }), count: list.length })}
                className={cn(
                  "flex min-h-24 min-w-0 flex-col gap-1 border-r border-slate-100 p-1 last:border-r-0 sm:min-h-28",
                  !inMonth && "bg-slate-50/70",
                  props.overKey === day && "bg-brand-50 ring-2 ring-brand-400 ring-inset",
                )}
                {...props.dropProps(day)}
              >
                <span
                  className={cn(
                    "self-end rounded-full px-1.5 text-xs tabular-nums",
                    isToday ? "bg-brand-700 font-semibold text-white" : monthOf(day).month === month ? "text-slate-800" : "text-slate-400",
                  )}
                  aria-current={isToday ? "date" : undefined}
                >
                  {Number(day.slice(8))}
                </span>
                {visible.map((item) => props.chip(item))}
                {hidden > 0 && (
                  <button type="button" onClick={() => props.onMore(day)} className="text-left text-xs font-medium text-brand-700 hover:underline" data-testid="calendar-more">
                    {t("more", { count: hidden })}
                  </button>
                )}
              </div>
            );
          })}
        </div>
      ))}
    </div>
  );
}

/** Opens scrolled to the morning; nights are a scroll away. */
const FIRST_VISIBLE_HOUR = 7;

function WeekGrid(props: {
  anchor: DayKey;
  timeZone: string;
  today: DayKey;
  bySlot: Map<string, CalendarItem[]>;
  overKey: string | null;
  chip: ChipFn;
  dropProps: (day: DayKey, hour: number) => DropProps;
}) {
  const t = useTranslations("calendar");
  const format = useFormatter();
  const days = weekDays(props.anchor);
  // Hours a day does not have (the spring-forward gap): shaded; a drop there lands just after the gap.
  const existing = new Map(days.map((day) => [day, new Set(hoursOfDay(day, props.timeZone))]));
  const scroller = useRef<HTMLDivElement>(null);
  const morning = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (scroller.current && morning.current) scroller.current.scrollTop = morning.current.offsetTop - 36;
  }, []);
  return (
    <div ref={scroller} className="relative max-h-[70vh] overflow-auto rounded-xl border border-slate-200 bg-white" data-testid="calendar-week">
      <div role="table" aria-label={t("weekGridLabel")} className="min-w-[720px]">
        <div role="row" className="sticky top-0 z-10 grid grid-cols-[3.5rem_repeat(7,minmax(0,1fr))] border-b border-slate-200 bg-slate-50">
          {/* The cell itself stays in the grid (an sr-only cell is absolutely positioned and would
              shift every day header one column to the left); only its text is visually hidden. */}
          <div role="columnheader">
            <span className="sr-only">{t("hour")}</span>
          </div>
          {days.map((day) => (
            <div key={day} role="columnheader" className={cn("px-2 py-1.5 text-xs font-medium text-slate-600", day === props.today && "text-brand-800")} aria-current={day === props.today ? "date" : undefined}>
              {format.dateTime(noonOf(day), { timeZone: "UTC", weekday: "short", day: "numeric" })}
            </div>
          ))}
        </div>
        {HOURS.map((hour) => (
          <div role="row" key={hour} ref={hour === FIRST_VISIBLE_HOUR ? morning : undefined} className="grid grid-cols-[3.5rem_repeat(7,minmax(0,1fr))] border-b border-slate-100 last:border-b-0">
            <div role="rowheader" className="px-2 py-1 text-right text-xs text-slate-500 tabular-nums">
              {t("hourLabel", { hour: String(hour).padStart(2, "0") })}
            </div>
            {days.map((day) => {
              const key = slotKey(day, hour);
              const list = props.bySlot.get(key) ?? [];
              return (
                <div
                  role="cell"
                  key={key}
                  data-slot={key}
                  aria-label={t("slotLabel", { date: format.dateTime(noonOf(day), { timeZone: "UTC", dateStyle: "medium" }), hour: String(hour).padStart(2, "0"), count: list.length })}
                  className={cn(
                    "flex min-h-10 min-w-0 flex-col gap-0.5 border-l border-slate-100 p-0.5",
                    day === props.today && "bg-brand-50/40",
                    !existing.get(day)?.has(hour) && "bg-slate-100 bg-[repeating-linear-gradient(45deg,transparent,transparent_4px,rgb(226_232_240)_4px,rgb(226_232_240)_8px)]",
                    props.overKey === key && "bg-brand-50 ring-2 ring-brand-400 ring-inset",
                  )}
                  data-missing-hour={existing.get(day)?.has(hour) ? undefined : "true"}
                  {...props.dropProps(day, hour)}
                >
                  {list.map((item) => props.chip(item))}
                </div>
              );
            })}
          </div>
        ))}
      </div>
    </div>
  );
}

function ItemDialog(props: {
  item: CalendarItem | null;
  timeZone: string;
  canReschedule: boolean;
  pending: boolean;
  formatWhen: (d: Date) => string;
  onClose: () => void;
  onReschedule: (scheduledAt: Date) => void;
}) {
  const t = useTranslations("calendar");
  const tNetworks = useTranslations("providers");
  const { item } = props;
  return (
    <Dialog open={item !== null} onOpenChange={(o) => !o && props.onClose()} title={item?.contentTitle ?? ""} closeLabel={t("details.close")}>
      {item && (
        <div className="flex flex-col gap-4" data-testid="calendar-details">
          {item.thumbnailUrl && (
            // A signed, expiring URL of our own media: next/image would cache it past its expiry.
            // eslint-disable-next-line @next/next/no-img-element
            <img src={item.thumbnailUrl} alt="" className="h-32 w-full rounded-lg bg-slate-100 object-cover" />
          )}
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
            <dt className="text-slate-600">{t("details.account")}</dt>
            <dd className="flex items-center gap-1.5 text-slate-900">
              <span className={cn("size-2 rounded-full", NETWORK_DOT[item.network as Network])} aria-hidden="true" />
              {tNetworks(item.network)}
              {item.accountName ? ` · ${item.accountName}` : ""}
            </dd>
            <dt className="text-slate-600">{t("details.status")}</dt>
            <dd>
              <Badge tone={STATUS_TONE[calendarStatus(item.status)]}>{t(`statuses.${calendarStatus(item.status)}`)}</Badge>
            </dd>
            <dt className="text-slate-600">{t("details.scheduledFor")}</dt>
            <dd className="text-slate-900">{props.formatWhen(item.scheduledAt)}</dd>
            {item.publishedAt && (
              <>
                <dt className="text-slate-600">{t("details.publishedAt")}</dt>
                <dd className="text-slate-900">{props.formatWhen(item.publishedAt)}</dd>
              </>
            )}
            {item.failureReason && (
              <>
                <dt className="text-slate-600">{t("details.failure")}</dt>
                <dd className="text-red-800">{item.failureReason}</dd>
              </>
            )}
          </dl>
          <div className="flex flex-wrap gap-3 text-sm">
            <Link href={`/social/content/${item.contentId}`} className="font-medium text-brand-700 hover:underline">
              {t("details.openContent")}
            </Link>
            {item.permalink && (
              <a href={item.permalink} target="_blank" rel="noopener noreferrer" className="inline-flex items-center gap-1 font-medium text-brand-700 hover:underline">
                {t("details.permalink")}
                <ExternalLink className="size-3.5" aria-hidden="true" />
              </a>
            )}
          </div>
          {props.canReschedule ? (
            <RescheduleForm key={item.id} item={item} timeZone={props.timeZone} pending={props.pending} onSubmit={props.onReschedule} onCancel={props.onClose} />
          ) : (
            !isReschedulable(item.status) && <p className="text-xs text-slate-600">{t("details.notMovable")}</p>
          )}
        </div>
      )}
    </Dialog>
  );
}

/** The keyboard and touch way to move a post: date and time in the organization's zone. */
function RescheduleForm(props: { item: CalendarItem; timeZone: string; pending: boolean; onSubmit: (at: Date) => void; onCancel: () => void }) {
  const t = useTranslations("calendar");
  const initial = toZonedInputs(props.item.scheduledAt, props.timeZone);
  const [date, setDate] = useState(initial.date);
  const [time, setTime] = useState(initial.time);
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(date) && /^\d{2}:\d{2}$/.test(time);
  return (
    <form
      className="flex flex-col gap-3 border-t border-slate-100 pt-3"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) props.onSubmit(zonedWallTimeToUtc(date, time, props.timeZone));
      }}
    >
      <p className="text-sm font-medium text-slate-900">{t("details.reschedule")}</p>
      <div className="grid grid-cols-2 gap-3">
        <div className="flex flex-col gap-1">
          <Label htmlFor="reschedule-date">{t("details.date")}</Label>
          <Input id="reschedule-date" type="date" required value={date} onChange={(e) => setDate(e.target.value)} />
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor="reschedule-time">{t("details.time")}</Label>
          <Input id="reschedule-time" type="time" required value={time} onChange={(e) => setTime(e.target.value)} />
        </div>
      </div>
      <DialogFooter>
        <Button variant="secondary" onClick={props.onCancel}>
          {t("details.cancel")}
        </Button>
        <Button type="submit" disabled={!valid} pending={props.pending}>
          {t("details.save")}
        </Button>
      </DialogFooter>
    </form>
  );
}

