"use client";

import { useRealtimeStatus } from "./realtime-provider";

const labels = { reconnecting: "Reconnecting…", offline: "Offline: updates paused" } as const;

/** A discreet connection notice: silent while live, "Reconnecting…" when the connection dropped. */
export function RealtimeStatus({ className = "" }: { className?: string }) {
  const status = useRealtimeStatus();
  const label = status === "reconnecting" || status === "offline" ? labels[status] : "";
  // The live region stays mounted (empty when all is well) so screen readers announce changes.
  return (
    <div role="status" aria-live="polite" className={className}>
      {label ? (
        <span className="inline-flex items-center gap-1.5 rounded-full bg-amber-50 px-2.5 py-1 text-xs font-medium text-amber-800 ring-1 ring-amber-200">
          <span aria-hidden="true" className="size-1.5 animate-pulse rounded-full bg-amber-500" />
          {label}
        </span>
      ) : null}
    </div>
  );
}
