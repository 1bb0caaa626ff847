import { formatCount, formatDuration } from "@/lib/analytics/format";
import type { Percentiles, ResponseTimes } from "@/lib/analytics/metrics";

function TimeCard({ label, value, samples, unit }: { label: string; value: number | null; samples: number; unit: string }) {
  return (
    <div className="rounded-lg bg-slate-50 p-3">
      <dt className="text-xs font-medium text-slate-500">{label}</dt>
      <dd className="mt-1 text-xl font-semibold tabular-nums text-slate-900">{formatDuration(value)}</dd>
      <dd className="mt-0.5 text-xs text-slate-500">
        {samples > 0 ? `from ${formatCount(samples)} ${unit}${samples === 1 ? "" : "s"}` : "nothing answered yet"}
      </dd>
    </div>
  );
}

function Pair({ title, figures, unit }: { title: string; figures: Percentiles; unit: string }) {
  return (
    <div>
      <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500">{title}</h3>
      <dl className="mt-2 grid grid-cols-2 gap-2">
        <TimeCard label="Median (p50)" value={figures.p50} samples={figures.samples} unit={unit} />
        <TimeCard label="90th percentile" value={figures.p90} samples={figures.samples} unit={unit} />
      </dl>
    </div>
  );
}

export function ResponseTimeCards({ times }: { times: ResponseTimes }) {
  return (
    <div className="grid gap-4" data-testid="response-times">
      <Pair title="First response" figures={times.firstResponse} unit="wait" />
      <Pair title="Reply time" figures={times.reply} unit="message" />
    </div>
  );
}
