// The dashboard's choice of range and zone lives in the URL: `?range=7d|30d|90d` or `?from=…&to=…`,
// plus `tz`. Anything unusable falls back to the default (with a notice) instead of failing the page.

import {
  DEFAULT_PRESET,
  MAX_RANGE_DAYS,
  RANGE_PRESETS,
  canonicalTimeZone,
  daysBetween,
  isCalendarDate,
  lastDays,
  presetDays,
  type DateRange,
  type RangePreset,
} from "./range";

export interface DashboardSelection extends DateRange {
  preset: RangePreset | "custom";
  tz: string;
  /** Set when the URL asked for something unusable and the default was used instead. */
  notice: string | null;
}

type SearchParams = Record<string, string | string[] | undefined>;

const single = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

export function resolveDashboardSelection(
  params: SearchParams,
  workspaceTimezone: string,
  now: Date = new Date(),
): DashboardSelection {
  const notices: string[] = [];
  const askedTz = single(params.tz);
  let tz = workspaceTimezone;
  if (askedTz) {
    const canonical = canonicalTimeZone(askedTz);
    if (canonical) tz = canonical;
    else notices.push(`"${askedTz}" is not a time zone, so ${workspaceTimezone} is used.`);
  }

  const from = single(params.from);
  const to = single(params.to);
  if (from || to) {
    if (from && to && isCalendarDate(from) && isCalendarDate(to) && from <= to && daysBetween(from, to) < MAX_RANGE_DAYS) {
      return { preset: "custom", from, to, tz, notice: notices.join(" ") || null };
    }
    notices.push(`That date range is not usable (pick a start on or before the end, at most ${MAX_RANGE_DAYS} days).`);
  }

  const asked = single(params.range);
  const preset = RANGE_PRESETS.find((candidate) => candidate === asked) ?? DEFAULT_PRESET;
  return { preset, ...lastDays(presetDays(preset), tz, now), tz, notice: notices.join(" ") || null };
}

/** The query string for a selection, keeping the zone only when it differs from the workspace's. */
export function selectionQuery(
  selection: Pick<DashboardSelection, "preset" | "from" | "to" | "tz">,
  workspaceTimezone: string,
): string {
  const params = new URLSearchParams();
  if (selection.preset === "custom") {
    params.set("from", selection.from);
    params.set("to", selection.to);
  } else {
    params.set("range", selection.preset);
  }
  if (selection.tz !== workspaceTimezone) params.set("tz", selection.tz);
  return params.toString();
}
