"use client";

import Form from "next/form";
import Link, { useLinkStatus } from "next/link";
import { useRouter } from "next/navigation";
import { useId, useState, useSyncExternalStore, useTransition } from "react";
import { selectionQuery, type DashboardSelection } from "@/lib/analytics/dashboard-selection";
import { RANGE_PRESETS, presetDays } from "@/lib/analytics/range";

const noSubscription = () => () => undefined;
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

function PendingDot() {
  const { pending } = useLinkStatus();
  return pending ? (
    <span
      aria-hidden
      className="ml-1 inline-block size-2.5 animate-spin rounded-full border-2 border-current border-r-transparent"
    />
  ) : null;
}

/**
 * The range (last 7/30/90 days or custom dates) and the zone days are cut in. Both live in the URL,
 * so a view can be bookmarked and shared, and the server renders exactly what it names.
 */
export function RangePicker({
  selection,
  workspaceTimezone,
}: {
  selection: Pick<DashboardSelection, "preset" | "from" | "to" | "tz">;
  workspaceTimezone: string;
}) {
  const router = useRouter();
  const [customOpen, setCustomOpen] = useState(selection.preset === "custom");
  const [zonePending, startZoneChange] = useTransition();
  const browser = useSyncExternalStore(noSubscription, browserZone, () => null);
  const zones = [...new Set([workspaceTimezone, selection.tz, browser, "UTC"].filter((zone): zone is string => !!zone))];
  const ids = { custom: useId(), zone: useId() };

  return (
    <div className="flex flex-col gap-2 sm:items-end">
      <div className="flex flex-wrap items-center gap-2">
        <nav aria-label="Date range" className="inline-flex rounded-lg border border-slate-200 bg-white p-0.5 text-sm shadow-sm">
          {RANGE_PRESETS.map((preset) => {
            const active = selection.preset === preset;
            return (
              <Link
                key={preset}
                href={`/dashboard?${selectionQuery({ ...selection, preset }, workspaceTimezone)}`}
                aria-current={active ? "page" : undefined}
                className={`inline-flex items-center rounded-md px-3 py-1.5 font-medium ${
                  active ? "bg-brand-600 text-white" : "text-slate-600 hover:bg-slate-100"
                }`}
              >
                <span className="sr-only">Last </span>
                {presetDays(preset)}
                <span className="sr-only"> days</span>
                <span aria-hidden>d</span>
                <PendingDot />
              </Link>
            );
          })}
          <button
            type="button"
            aria-expanded={customOpen}
            aria-controls={ids.custom}
            onClick={() => setCustomOpen((open) => !open)}
            className={`rounded-md px-3 py-1.5 font-medium ${
              selection.preset === "custom" ? "bg-brand-600 text-white" : "text-slate-600 hover:bg-slate-100"
            }`}
          >
            Custom
          </button>
        </nav>
        <label htmlFor={ids.zone} className="sr-only">
          Time zone
        </label>
        <select
          id={ids.zone}
          value={selection.tz}
          disabled={zonePending}
          onChange={(event) => {
            const tz = event.target.value;
            startZoneChange(() => router.push(`/dashboard?${selectionQuery({ ...selection, tz }, workspaceTimezone)}`));
          }}
          className="max-w-48 rounded-lg border border-slate-200 bg-white px-2 py-1.5 text-sm text-slate-700 shadow-sm"
        >
          {zones.map((zone) => (
            <option key={zone} value={zone}>
              {zone === workspaceTimezone ? `${zone} (workspace)` : zone}
            </option>
          ))}
        </select>
      </div>
      {customOpen ? (
        <Form
          id={ids.custom}
          action="/dashboard"
          aria-label="Custom date range"
          className="flex flex-wrap items-end gap-2 rounded-lg border border-slate-200 bg-white p-2 text-sm shadow-sm"
        >
          <label className="flex flex-col text-xs font-medium text-slate-600">
            From
            <input
              type="date"
              name="from"
              required
              defaultValue={selection.from}
              className="mt-0.5 rounded-md border border-slate-300 px-2 py-1 text-sm text-slate-900"
            />
          </label>
          <label className="flex flex-col text-xs font-medium text-slate-600">
            To
            <input
              type="date"
              name="to"
              required
              defaultValue={selection.to}
              className="mt-0.5 rounded-md border border-slate-300 px-2 py-1 text-sm text-slate-900"
            />
          </label>
          {selection.tz !== workspaceTimezone ? <input type="hidden" name="tz" value={selection.tz} /> : null}
          <button type="submit" className="rounded-md bg-brand-600 px-3 py-1.5 font-medium text-white hover:bg-brand-700">
            Apply
          </button>
        </Form>
      ) : null}
    </div>
  );
}
