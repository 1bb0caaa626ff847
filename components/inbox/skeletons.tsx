// Loading placeholders shaped like what they stand in for; hidden from screen readers, which hear the status instead.

export function ListSkeleton({ rows = 8 }: { rows?: number }) {
  return (
    <div role="status" aria-label="Loading conversations" className="divide-y divide-slate-100">
      {Array.from({ length: rows }, (_, index) => (
        <div key={index} aria-hidden="true" className="flex animate-pulse gap-3 px-4 py-3">
          <div className="size-11 shrink-0 rounded-full bg-slate-200" />
          <div className="flex-1 space-y-2 py-1">
            <div className="flex justify-between gap-4">
              <div className="h-3 w-1/2 rounded bg-slate-200" />
              <div className="h-3 w-10 rounded bg-slate-100" />
            </div>
            <div className="h-3 w-4/5 rounded bg-slate-100" />
          </div>
        </div>
      ))}
    </div>
  );
}

const bubbles = [
  { side: "start", width: "w-48" },
  { side: "start", width: "w-64" },
  { side: "end", width: "w-40" },
  { side: "start", width: "w-56" },
  { side: "end", width: "w-72" },
  { side: "end", width: "w-32" },
] as const;

export function ThreadSkeleton() {
  return (
    <div role="status" aria-label="Loading messages" className="flex flex-1 flex-col justify-end gap-3 p-4">
      {bubbles.map((bubble, index) => (
        <div key={index} aria-hidden="true" className={`flex animate-pulse ${bubble.side === "end" ? "justify-end" : ""}`}>
          <div
            className={`h-10 max-w-[75%] rounded-2xl ${bubble.width} ${bubble.side === "end" ? "bg-brand-100" : "bg-slate-200"}`}
          />
        </div>
      ))}
    </div>
  );
}
