import { describeChange, formatCount } from "@/lib/analytics/format";
import type { Stats } from "@/lib/analytics/metrics";

const arrows = { up: "▲", down: "▼", flat: "•" } as const;

function StatCard({
  label,
  value,
  today,
  yesterday,
  hint,
}: {
  label: string;
  value: number;
  today?: number;
  yesterday?: number;
  hint?: string;
}) {
  const change = today !== undefined && yesterday !== undefined ? describeChange(today, yesterday) : null;
  return (
    <div className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <dt className="text-xs font-medium text-slate-500">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold tabular-nums text-slate-900">{formatCount(value)}</dd>
      <dd className="mt-1 text-xs text-slate-500">
        {change ? (
          <>
            <span
              aria-hidden
              className={
                change.direction === "up" ? "text-emerald-600" : change.direction === "down" ? "text-rose-600" : "text-slate-400"
              }
            >
              {arrows[change.direction]}{" "}
            </span>
            <span className="sr-only">Change: </span>
            {change.text} vs yesterday ({formatCount(yesterday ?? 0)})
          </>
        ) : (
          hint
        )}
      </dd>
    </div>
  );
}

/** Today's figures with the change against yesterday; unread is "now", so it has no comparison. */
export function StatCards({ stats }: { stats: Stats }) {
  const { today, yesterday } = stats;
  return (
    <dl aria-label="Today" className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5" data-testid="stat-cards">
      <StatCard label="Incoming today" value={today.incoming} today={today.incoming} yesterday={yesterday.incoming} />
      <StatCard label="Outgoing today" value={today.outgoing} today={today.outgoing} yesterday={yesterday.outgoing} />
      <StatCard
        label="Active conversations"
        value={today.activeConversations}
        today={today.activeConversations}
        yesterday={yesterday.activeConversations}
      />
      <StatCard
        label="New conversations"
        value={today.newConversations}
        today={today.newConversations}
        yesterday={yesterday.newConversations}
      />
      <StatCard label="Unread now" value={today.unread} hint="In open conversations" />
    </dl>
  );
}
