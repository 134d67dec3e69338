/**
 * The calendar's date logic, pure and client-safe. Days are "YYYY-MM-DD" keys of the
 * organization's zone (never the browser's): a day starts at that zone's local midnight, which on
 * a daylight-saving day is 23 or 25 hours from the next one. Calendar arithmetic (next day, first
 * of the month) is done on the keys themselves, which have no zone; instants only come from
 * zonedWallTimeToUtc, so a wall time in a spring-forward gap moves to the first valid minute.
 */
import { toZonedInputs, zonedParts, zonedWallTimeToUtc, zoneOffsetMinutes } from "~/lib/time/zoned";

export type CalendarView = "month" | "week";
export type DayKey = string;

/** 0 = Sunday (Brazil's calendars start on Sunday). */
export const WEEK_STARTS_ON = 0;

const pad = (n: number) => String(n).padStart(2, "0");

function parseKey(key: DayKey): { y: number; m: number; d: number } {
  const [y, m, d] = key.split("-").map(Number) as [number, number, number];
  return { y, m, d };
}

function keyOfUtcDate(date: Date): DayKey {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

export function addDays(key: DayKey, days: number): DayKey {
  const { y, m, d } = parseKey(key);
  return keyOfUtcDate(new Date(Date.UTC(y, m - 1, d + days)));
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(key: DayKey): number {
  const { y, m, d } = parseKey(key);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

export function monthOf(key: DayKey): { year: number; month: number } {
  const { y, m } = parseKey(key);
  return { year: y, month: m };
}

export function firstOfMonth(key: DayKey): DayKey {
  const { y, m } = parseKey(key);
  return `${y}-${pad(m)}-01`;
}

export function dayKeyOf(instant: Date, timeZone: string): DayKey {
  return toZonedInputs(instant, timeZone).date;
}

export function isValidDayKey(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  return addDays(value, 0) === value;
}

export function startOfWeek(key: DayKey, weekStartsOn = WEEK_STARTS_ON): DayKey {
  return addDays(key, -((weekdayOf(key) - weekStartsOn + 7) % 7));
}

export function weekDays(anchor: DayKey, weekStartsOn = WEEK_STARTS_ON): DayKey[] {
  const start = startOfWeek(anchor, weekStartsOn);
  return Array.from({ length: 7 }, (_, i) => addDays(start, i));
}

/** The month's weeks (4 to 6 rows of 7 days), padded with the neighbouring months' days. */
export function monthGrid(anchor: DayKey, weekStartsOn = WEEK_STARTS_ON): { day: DayKey; inMonth: boolean }[][] {
  const first = firstOfMonth(anchor);
  const { month } = monthOf(first);
  const weeks: { day: DayKey; inMonth: boolean }[][] = [];
  let cursor = startOfWeek(first, weekStartsOn);
  do {
    const week = Array.from({ length: 7 }, (_, i) => {
      const day = addDays(cursor, i);
      return { day, inMonth: monthOf(day).month === month };
    });
    weeks.push(week);
    cursor = addDays(cursor, 7);
  } while (monthOf(cursor).month === month);
  return weeks;
}

/** The days a view shows. */
export function visibleDays(view: CalendarView, anchor: DayKey, weekStartsOn = WEEK_STARTS_ON): DayKey[] {
  return view === "week" ? weekDays(anchor, weekStartsOn) : monthGrid(anchor, weekStartsOn).flat().map((c) => c.day);
}

/** [from, to) in UTC for the days a view shows: local midnight of the first day to that of the day after the last. */
export function visibleRange(view: CalendarView, anchor: DayKey, timeZone: string, weekStartsOn = WEEK_STARTS_ON): { from: Date; to: Date } {
  const days = visibleDays(view, anchor, weekStartsOn);
  return dayRange(days[0]!, addDays(days[days.length - 1]!, 1), timeZone);
}

/** [local midnight of `first`, local midnight of `end`) in UTC. */
export function dayRange(first: DayKey, end: DayKey, timeZone: string): { from: Date; to: Date } {
  return { from: zonedWallTimeToUtc(first, "00:00", timeZone), to: zonedWallTimeToUtc(end, "00:00", timeZone) };
}

/** The anchor one page earlier (-1) or later (+1): the first of the neighbouring month, or ±7 days. */
export function shiftAnchor(view: CalendarView, anchor: DayKey, direction: -1 | 1): DayKey {
  if (view === "week") return addDays(anchor, 7 * direction);
  const { y, m } = parseKey(anchor);
  return keyOfUtcDate(new Date(Date.UTC(y, m - 1 + direction, 1)));
}

export type Placed = { scheduledAt: Date; publishedAt?: Date | null };

/** When an item sits on the calendar: when it went live if it did, else when it is scheduled. */
export function placedAt(item: Placed): Date {
  return item.publishedAt ?? item.scheduledAt;
}

/** Items per day of the zone, each day's list in time order. */
export function groupByDay<T extends Placed>(items: readonly T[], timeZone: string): Map<DayKey, T[]> {
  const byDay = new Map<DayKey, T[]>();
  const sorted = [...items].sort((a, b) => placedAt(a).getTime() - placedAt(b).getTime());
  for (const item of sorted) {
    const key = dayKeyOf(placedAt(item), timeZone);
    const list = byDay.get(key);
    if (list) list.push(item);
    else byDay.set(key, [item]);
  }
  return byDay;
}

/** Items per day and hour of the zone (week view rows are the zone's wall-clock hours). */
export function groupBySlot<T extends Placed>(items: readonly T[], timeZone: string): Map<string, T[]> {
  const bySlot = new Map<string, T[]>();
  for (const [day, list] of groupByDay(items, timeZone)) {
    for (const item of list) {
      const key = slotKey(day, zonedParts(placedAt(item), timeZone).hour);
      const slot = bySlot.get(key);
      if (slot) slot.push(item);
      else bySlot.set(key, [item]);
    }
  }
  return bySlot;
}

export function slotKey(day: DayKey, hour: number): string {
  return `${day}T${pad(hour)}`;
}

/** What a month cell shows: up to `max` items, and "+N more" for the rest. */
export function cellOverflow<T>(items: readonly T[], max: number): { visible: T[]; hidden: number } {
  if (items.length <= max) return { visible: [...items], hidden: 0 };
  // The "+N" line takes the place of one item.
  const shown = Math.max(0, max - 1);
  return { visible: items.slice(0, shown), hidden: items.length - shown };
}

/** Dropped on another day (month view): same wall-clock time on that day, in the zone. */
export function dropOnDay(scheduledAt: Date, day: DayKey, timeZone: string): Date {
  return zonedWallTimeToUtc(day, toZonedInputs(scheduledAt, timeZone).time, timeZone);
}

/** Dropped on an hour slot (week view): that day and hour, keeping the minutes. */
export function dropOnSlot(scheduledAt: Date, day: DayKey, hour: number, timeZone: string): Date {
  const minute = zonedParts(scheduledAt, timeZone).minute;
  return zonedWallTimeToUtc(day, `${pad(hour)}:${pad(minute)}`, timeZone);
}

export type PublicationStatus = "SCHEDULED" | "DISPATCHED" | "PUBLISHING" | "PUBLISHED" | "UNCONFIRMED" | "FAILED" | "CANCELED";
export type CalendarStatus = "scheduled" | "publishing" | "published" | "failed" | "unconfirmed" | "canceled";

export function calendarStatus(status: PublicationStatus): CalendarStatus {
  switch (status) {
    case "SCHEDULED":
      return "scheduled";
    case "DISPATCHED":
    case "PUBLISHING":
      return "publishing";
    case "PUBLISHED":
      return "published";
    case "FAILED":
      return "failed";
    case "UNCONFIRMED":
      return "unconfirmed";
    case "CANCELED":
      return "canceled";
  }
}

/** Only a post that has not started publishing can move (the server checks again). */
export function isReschedulable(status: PublicationStatus): boolean {
  return status === "SCHEDULED" || status === "FAILED";
}

/** "UTC−03:00" (with a real minus sign) for an offset in minutes. */
export function formatOffset(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? "\u2212" : "+";
  const abs = Math.abs(offsetMinutes);
  return `UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** "Horário de Brasília (UTC−03:00)": the zone's generic name in the reader's language and its offset at `at`. */
export function zoneLabel(timeZone: string, locale: string, at: Date): string {
  const offset = formatOffset(zoneOffsetMinutes(at, timeZone));
  const name = (style: "longGeneric" | "long") =>
    new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: style }).formatToParts(at).find((p) => p.type === "timeZoneName")?.value;
  let label = name("longGeneric");
  // Some zones have no generic name and come back as "GMT+…": the specific name, or the id, reads better.
  if (!label || /^(GMT|UTC)/.test(label)) label = name("long");
  if (!label || /^(GMT|UTC)/.test(label)) label = timeZone;
  return `${label} (${offset})`;
}

/** Wall-clock hours that exist on a day in the zone (23 on a spring-forward day, 24 otherwise). */
export function hoursOfDay(day: DayKey, timeZone: string): number[] {
  const hours: number[] = [];
  for (let h = 0; h < 24; h++) {
    const instant = zonedWallTimeToUtc(day, `${pad(h)}:00`, timeZone);
    const shown = toZonedInputs(instant, timeZone);
    if (shown.date === day && Number(shown.time.slice(0, 2)) === h) hours.push(h);
  }
  return hours;
}
