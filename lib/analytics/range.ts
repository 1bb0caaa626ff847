// Calendar-date and time-zone helpers shared by the API, the dashboard page and its client components.
// Dates are `YYYY-MM-DD` strings: calendar days, never instants, so arithmetic on them is plain UTC
// day arithmetic and never meets a DST change. Instants are only ever cut into days by Postgres.

export const MAX_RANGE_DAYS = 366;
export const RANGE_PRESETS = ["7d", "30d", "90d"] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];
export const DEFAULT_PRESET: RangePreset = "30d";

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written `YYYY-MM-DD` (2026-02-30 is not one). */
export function isCalendarDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [, y, m, d] = match;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return date.toISOString().slice(0, 10) === value && Number(y) >= 1970 && Number(y) <= 9999;
}

export function addDays(date: string, days: number): string {
  const base = new Date(`${date}T00:00:00Z`);
  base.setUTCDate(base.getUTCDate() + days);
  return base.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (0 when equal, negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * The canonical IANA name of a time zone, or null if it is not one. Offsets ("+05:00") and
 * abbreviations ("EST") are refused: Postgres reads POSIX offsets with the opposite sign and
 * abbreviations as fixed offsets, so only region names mean the same thing to both.
 */
export function canonicalTimeZone(value: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/.test(value) || value.length > 64) return null;
  if (/^[A-Z]{2,5}$/.test(value) && value !== "UTC") return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** Today's calendar date in a time zone. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

export interface DateRange {
  from: string;
  to: string;
}

/** The last `days` days up to and including today in the zone. */
export function lastDays(days: number, timeZone: string, now: Date = new Date()): DateRange {
  const to = todayIn(timeZone, now);
  return { from: addDays(to, -(days - 1)), to };
}

export function presetDays(preset: RangePreset): number {
  return Number(preset.slice(0, -1));
}

/** Every date of a range, inclusive. */
export function eachDay(range: DateRange): string[] {
  const out: string[] = [];
  for (let day = range.from; day <= range.to; day = addDays(day, 1)) out.push(day);
  return out;
}

/** Monday of the ISO week a date falls in. */
export function weekStart(date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(date, -((weekday + 6) % 7));
}

const monthDay = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
const fullDate = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });

/** "Oct 25" */
export function formatShortDate(date: string): string {
  return monthDay.format(new Date(`${date}T00:00:00Z`));
}

/** "Oct 25, 2026" */
export function formatLongDate(date: string): string {
  return fullDate.format(new Date(`${date}T00:00:00Z`));
}

/** "Oct 1 – Oct 30, 2026" or a single date. */
export function formatRange(range: DateRange): string {
  if (range.from === range.to) return formatLongDate(range.from);
  const sameYear = range.from.slice(0, 4) === range.to.slice(0, 4);
  return `${sameYear ? formatShortDate(range.from) : formatLongDate(range.from)} – ${formatLongDate(range.to)}`;
}
