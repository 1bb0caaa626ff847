// Shown while the dashboard's figures load (first visit and every range change).
export default function DashboardLoading() {
  const block = "animate-pulse rounded-xl border border-slate-200 bg-white";
  return (
    <div className="mx-auto max-w-6xl space-y-5 p-4 sm:p-6" aria-busy="true">
      <p role="status" className="sr-only">
        Loading the dashboard…
      </p>
      <div className="flex flex-col gap-3 lg:flex-row lg:justify-between">
        <div className="space-y-2">
          <div className="h-7 w-36 animate-pulse rounded bg-slate-200" />
          <div className="h-4 w-56 animate-pulse rounded bg-slate-100" />
        </div>
        <div className="h-9 w-full max-w-md animate-pulse rounded-lg bg-slate-100" />
      </div>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
        {Array.from({ length: 5 }, (_, index) => (
          <div key={index} className={`${block} h-24`} />
        ))}
      </div>
      <div className="grid gap-4 lg:grid-cols-3">
        <div className={`${block} h-80 lg:col-span-2`} />
        <div className={`${block} h-80`} />
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <div className={`${block} h-56`} />
        <div className={`${block} h-56`} />
      </div>
    </div>
  );
}
