// Shapes the daily rows into chart series; shared by the dashboard chart and the PDF report.

import type { Platform } from "@/db/schema/enums";
import { PLATFORMS } from "@/lib/platforms/labels";
import { formatShortDate, weekStart } from "./range";

export type Granularity = "daily" | "weekly";

export interface VolumeRowInput {
  date: string;
  platform: Platform;
  incoming: number;
  outgoing: number;
}

export interface VolumePoint {
  /** The day, or the Monday of the week (weekly). */
  date: string;
  label: string;
  instagram: number;
  messenger: number;
  whatsapp: number;
  total: number;
}

/** Messages (incoming + outgoing) per day or ISO week, one column per platform, oldest first. */
export function volumeSeries(rows: readonly VolumeRowInput[], granularity: Granularity): VolumePoint[] {
  const points = new Map<string, VolumePoint>();
  for (const row of rows) {
    const key = granularity === "weekly" ? weekStart(row.date) : row.date;
    let point = points.get(key);
    if (!point) {
      point = {
        date: key,
        label: granularity === "weekly" ? `Week of ${formatShortDate(key)}` : formatShortDate(key),
        instagram: 0,
        messenger: 0,
        whatsapp: 0,
        total: 0,
      };
      points.set(key, point);
    }
    const volume = row.incoming + row.outgoing;
    point[row.platform] += volume;
    point.total += volume;
  }
  return [...points.values()].sort((a, b) => a.date.localeCompare(b.date));
}

export function totalsByPlatform(points: readonly VolumePoint[]): Record<Platform, number> {
  const totals = { instagram: 0, messenger: 0, whatsapp: 0 } satisfies Record<Platform, number>;
  for (const point of points) for (const platform of PLATFORMS) totals[platform] += point[platform];
  return totals;
}
