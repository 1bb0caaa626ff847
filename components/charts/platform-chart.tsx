"use client";

import { Cell, Pie, PieChart, Tooltip } from "recharts";
import { formatCount, formatShare } from "@/lib/analytics/format";
import { platformLabels } from "@/lib/platforms/labels";
import type { PlatformRow } from "@/lib/analytics/metrics";
import { platformColors } from "./colors";

/** A donut of each platform's share of messages, beside a list with the exact figures. */
export function PlatformChart({ platforms }: { platforms: PlatformRow[] }) {
  const data = platforms.map((row) => ({ ...row, name: platformLabels[row.platform], value: row.incoming + row.outgoing }));
  const summary = data.map((row) => `${row.name} ${formatShare(row.share)} (${formatCount(row.value)} messages)`).join(", ");
  return (
    <div className="flex flex-col items-center gap-4 sm:flex-row lg:flex-col xl:flex-row">
      <div role="img" aria-label={`Share of messages by platform: ${summary}.`} className="size-36 shrink-0">
        <PieChart responsive style={{ width: "100%", height: "100%" }}>
          <Pie
            data={data.filter((row) => row.value > 0)}
            dataKey="value"
            nameKey="name"
            innerRadius="62%"
            outerRadius="100%"
            paddingAngle={1}
            stroke="#fff"
            isAnimationActive={false}
          >
            {data
              .filter((row) => row.value > 0)
              .map((row) => (
                <Cell key={row.platform} fill={platformColors[row.platform]} />
              ))}
          </Pie>
          <Tooltip
            contentStyle={{ borderRadius: 8, borderColor: "#e2e8f0", fontSize: 12 }}
            formatter={(value, name) => [`${formatCount(Number(value))} messages`, String(name)]}
          />
        </PieChart>
      </div>
      <ul className="w-full space-y-2.5 text-sm" data-testid="platform-list">
        {data.map((row) => (
          <li key={row.platform}>
            <div className="flex items-center justify-between gap-2">
              <span className="flex items-center gap-2 font-medium text-slate-800">
                <span aria-hidden className="size-2.5 rounded-full" style={{ backgroundColor: platformColors[row.platform] }} />
                {row.name}
              </span>
              <span className="tabular-nums text-slate-900">{formatShare(row.share)}</span>
            </div>
            <p className="ml-4.5 text-xs text-slate-500">
              {formatCount(row.incoming)} in · {formatCount(row.outgoing)} out · {formatCount(row.conversations)} conversation
              {row.conversations === 1 ? "" : "s"}
            </p>
          </li>
        ))}
      </ul>
    </div>
  );
}
