/**
 * Wall-clock time in an IANA time zone ⇄ UTC instants, with Intl only (client-safe). Times are
 * stored in UTC; the organization's zone is applied at the edges (the editor, the calendar).
 * Daylight-saving safe: a wall time that does not exist (clocks jump forward) moves to the first
 * valid minute after the gap; an ambiguous one (clocks go back) takes the earlier instant.
 */
export type ZonedParts = { year: number; month: number; day: number; hour: number; minute: number; weekday: number };

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      weekday: "short",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** The wall-clock parts of an instant in a zone (weekday 0 = Sunday). */
export function zonedParts(instant: Date, timeZone: string): ZonedParts {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(instant).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? "Sun"),
  };
}

/** Offset of the zone at an instant, in minutes (UTC−3 → −180). */
export function zoneOffsetMinutes(instant: Date, timeZone: string): number {
  const p = zonedParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
  return Math.round((asUtc - Math.floor(instant.getTime() / 60_000) * 60_000) / 60_000);
}

/** The UTC instant of a wall-clock time in a zone ("2026-11-26", "09:30", "America/Sao_Paulo"). */
export function zonedWallTimeToUtc(date: string, time: string, timeZone: string): Date {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const [hh, mm] = time.split(":").map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  // Try the offsets in force around that wall time; keep the earliest instant that shows it.
  const candidates = [wall - 36 * 3_600_000, wall, wall + 36 * 3_600_000]
    .map((probe) => wall - zoneOffsetMinutes(new Date(probe), timeZone) * 60_000)
    .filter((instant) => {
      const p = zonedParts(new Date(instant), timeZone);
      return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) === wall;
    })
    .sort((a, b) => a - b);
  if (candidates[0] !== undefined) return new Date(candidates[0]);
  // Inside a spring-forward gap: the first minute after it.
  for (let step = 1; step <= 180; step++) {
    const later = zonedWallTimeToUtcOrNull(wall + step * 60_000, timeZone);
    if (later) return later;
  }
  return new Date(wall);
}

function zonedWallTimeToUtcOrNull(wall: number, timeZone: string): Date | null {
  for (const probe of [wall - 36 * 3_600_000, wall + 36 * 3_600_000]) {
    const instant = wall - zoneOffsetMinutes(new Date(probe), timeZone) * 60_000;
    const p = zonedParts(new Date(instant), timeZone);
    if (Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) === wall) return new Date(instant);
  }
  return null;
}

/** "YYYY-MM-DD" and "HH:mm" of an instant in a zone (for date/time inputs). */
export function toZonedInputs(instant: Date, timeZone: string): { date: string; time: string } {
  const p = zonedParts(instant, timeZone);
  const pad = (n: number) => String(n).padStart(2, "0");
  return { date: `${p.year}-${pad(p.month)}-${pad(p.day)}`, time: `${pad(p.hour)}:${pad(p.minute)}` };
}
