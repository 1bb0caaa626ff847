"use client";

import { useMemo, useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { formatCount } from "@/lib/analytics/format";
import { PLATFORMS, platformLabels } from "@/lib/platforms/labels";
import { volumeSeries, totalsByPlatform, type Granularity, type VolumeRowInput } from "@/lib/analytics/series";
import { platformColors } from "./colors";

interface VolumeChartProps {
  rows: VolumeRowInput[];
  rangeLabel: string;
  defaultGranularity: Granularity;
}

/**
 * Messages per day or week, stacked by platform. The bars are an image for sighted users; its label
 * sums it up and a visually hidden table carries every number for screen readers.
 */
export function VolumeChart({ rows, rangeLabel, defaultGranularity }: VolumeChartProps) {
  const [granularity, setGranularity] = useState<Granularity>(defaultGranularity);
  const points = useMemo(() => volumeSeries(rows, granularity), [rows, granularity]);
  const totals = totalsByPlatform(points);
  const total = points.reduce((sum, point) => sum + point.total, 0);
  const busiest = points.reduce<(typeof points)[number] | null>(
    (best, point) => (!best || point.total > best.total ? point : best),
    null,
  );
  const unit = granularity === "weekly" ? "week" : "day";
  const summary =
    total === 0
      ? `No messages ${rangeLabel}.`
      : `${formatCount(total)} messages ${rangeLabel}: ${PLATFORMS.map((p) => `${platformLabels[p]} ${formatCount(totals[p])}`).join(", ")}. ` +
        `Busiest ${unit}: ${busiest?.label ?? ""} with ${formatCount(busiest?.total ?? 0)}.`;

  return (
    <div>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-xs text-slate-500" data-testid="volume-summary">
          {summary}
        </p>
        <div role="group" aria-label="Group by" className="inline-flex rounded-md border border-slate-200 p-0.5 text-xs">
          {(["daily", "weekly"] as const).map((option) => (
            <button
              key={option}
              type="button"
              aria-pressed={granularity === option}
              onClick={() => setGranularity(option)}
              className={`rounded px-2.5 py-1 font-medium capitalize ${
                granularity === option ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-50"
              }`}
            >
              {option}
            </button>
          ))}
        </div>
      </div>
      <div
        role="img"
        aria-label={`Bar chart of messages per ${unit}, stacked by platform. ${summary}`}
        className="mt-3 h-64 w-full"
      >
        <BarChart
          responsive
          data={points}
          style={{ width: "100%", height: "100%" }}
          margin={{ top: 4, right: 4, bottom: 0, left: -16 }}
        >
          <CartesianGrid vertical={false} stroke="#e2e8f0" />
          <XAxis
            dataKey="label"
            tick={{ fontSize: 11, fill: "#64748b" }}
            tickLine={false}
            axisLine={{ stroke: "#cbd5e1" }}
            minTickGap={16}
          />
          <YAxis allowDecimals={false} tick={{ fontSize: 11, fill: "#64748b" }} tickLine={false} axisLine={false} width={48} />
          <Tooltip
            cursor={{ fill: "rgba(148, 163, 184, 0.15)" }}
            contentStyle={{ borderRadius: 8, borderColor: "#e2e8f0", fontSize: 12 }}
            formatter={(value, name) => [formatCount(Number(value)), String(name)]}
          />
          <Legend iconType="circle" iconSize={8} wrapperStyle={{ fontSize: 12 }} />
          {PLATFORMS.map((platform, index) => (
            <Bar
              key={platform}
              dataKey={platform}
              name={platformLabels[platform]}
              stackId="volume"
              fill={platformColors[platform]}
              radius={index === PLATFORMS.length - 1 ? [3, 3, 0, 0] : 0}
              maxBarSize={36}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </div>
      {/* sr-only on the table itself would not clip it: tables grow to their content. */}
      <div className="sr-only">
        <table data-testid="volume-table">
          <caption>Messages per {unit} and platform</caption>
          <thead>
            <tr>
              <th scope="col">{granularity === "weekly" ? "Week" : "Day"}</th>
              {PLATFORMS.map((platform) => (
                <th key={platform} scope="col">
                  {platformLabels[platform]}
                </th>
              ))}
              <th scope="col">Total</th>
            </tr>
          </thead>
          <tbody>
            {points.map((point) => (
              <tr key={point.date}>
                <th scope="row">{point.label}</th>
                {PLATFORMS.map((platform) => (
                  <td key={platform}>{point[platform]}</td>
                ))}
                <td>{point.total}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
