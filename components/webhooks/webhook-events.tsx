"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useState, useSyncExternalStore, useTransition } from "react";
import { PlatformIcon, platformLabel } from "@/components/platforms/platform-icon";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { FormAlert } from "@/components/ui/form-alert";
import { useToast } from "@/components/ui/toast";
import type { Platform } from "@/db/schema/enums";
import { ApiError, apiFetch } from "@/lib/client/api";
import type { WebhookEventDetailDto, WebhookEventDto } from "@/lib/webhooks/events-admin";
import {
  describeKinds,
  formatBytes,
  formatWhen,
  statusStyles,
  summaryNotes,
  WEBHOOK_PAGE_SIZE,
  type WebhookEventStatus,
} from "./format";
import { PayloadDialog } from "./payload-dialog";

export interface WebhookFilters {
  status?: WebhookEventStatus;
  platform?: Platform;
}

const statusOptions: WebhookEventStatus[] = ["processed", "failed", "ignored", "pending"];
const platformOptions: Platform[] = ["messenger", "instagram", "whatsapp"];

const noSubscription = () => () => undefined;

/** The server renders times in UTC; once hydrated, the browser's own zone. */
function useTimeZone(): string | undefined {
  return useSyncExternalStore(
    noSubscription,
    () => undefined,
    () => "UTC",
  );
}

function query(filters: WebhookFilters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  if (filters.status) params.set("status", filters.status);
  if (filters.platform) params.set("platform", filters.platform);
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  return params.toString();
}

/** Settings → Webhooks: the deliveries from Meta routed to the user's workspaces, newest first. */
export function WebhookEvents({
  initial,
  filters,
  canReprocess,
  hasPlatforms,
}: {
  initial: { events: WebhookEventDto[]; nextCursor: string | null };
  filters: WebhookFilters;
  canReprocess: boolean;
  hasPlatforms: boolean;
}) {
  const router = useRouter();
  const toast = useToast();
  const ids = { status: useId(), platform: useId() };
  const timeZone = useTimeZone();
  const [events, setEvents] = useState(initial.events);
  const [nextCursor, setNextCursor] = useState(initial.nextCursor);
  const [loadingMore, setLoadingMore] = useState(false);
  const [loadError, setLoadError] = useState<string>();
  const [filtering, startFiltering] = useTransition();
  const [viewing, setViewing] = useState<WebhookEventDto | null>(null);
  const [reprocessing, setReprocessing] = useState<Set<string>>(new Set());
  const filtered = Boolean(filters.status || filters.platform);

  function applyFilters(next: WebhookFilters) {
    const search = query(next);
    startFiltering(() => router.replace(`/settings/webhooks${search ? `?${search}` : ""}`, { scroll: false }));
  }

  async function loadMore() {
    if (!nextCursor) return;
    setLoadingMore(true);
    setLoadError(undefined);
    try {
      const page = await apiFetch<{ events: WebhookEventDto[]; nextCursor: string | null }>(
        `/api/webhook-events?${query(filters, { cursor: nextCursor, limit: String(WEBHOOK_PAGE_SIZE) })}`,
      );
      setEvents((current) => [...current, ...page.events.filter((event) => !current.some((seen) => seen.id === event.id))]);
      setNextCursor(page.nextCursor);
    } catch (error) {
      setLoadError(error instanceof ApiError ? error.message : "More events could not be loaded.");
    } finally {
      setLoadingMore(false);
    }
  }

  async function reprocess(event: WebhookEventDto) {
    setReprocessing((current) => new Set(current).add(event.id));
    try {
      const { event: updated } = await apiFetch<{ event: WebhookEventDetailDto }>(`/api/webhook-events/${event.id}/reprocess`, {
        method: "POST",
      });
      const { payload: _payload, nextAttemptAt: _next, ...row } = updated;
      setEvents((current) => current.map((candidate) => (candidate.id === row.id ? row : candidate)));
      const outcome = describeKinds(row.summary, row.status);
      if (row.status === "failed") toast(`Processing failed again: ${row.error ?? "see the event's error"}`, "error");
      else toast(`Reprocessed: ${statusStyles[row.status].label.toLowerCase()} (${outcome}).`, "success");
    } catch (error) {
      toast(error instanceof ApiError ? error.message : "The event could not be reprocessed.", "error");
    } finally {
      setReprocessing((current) => {
        const next = new Set(current);
        next.delete(event.id);
        return next;
      });
    }
  }

  return (
    <div className="space-y-4">
      <div>
        <h2 className="font-semibold">Webhook deliveries</h2>
        <p className="mt-1 text-sm text-slate-600">
          Every call Meta makes for your connected accounts is stored as received, then processed. Failed deliveries are retried
          automatically; owners and admins can also reprocess one by hand.
        </p>
      </div>

      <form
        role="search"
        aria-label="Filter webhook events"
        className="flex flex-wrap items-end gap-3"
        onSubmit={(event) => event.preventDefault()}
      >
        <div>
          <label htmlFor={ids.status} className="block text-xs font-medium text-slate-600">
            Status
          </label>
          <select
            id={ids.status}
            value={filters.status ?? ""}
            onChange={(event) =>
              applyFilters({ ...filters, status: (event.target.value || undefined) as WebhookEventStatus | undefined })
            }
            className="mt-1 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm shadow-sm"
          >
            <option value="">All statuses</option>
            {statusOptions.map((status) => (
              <option key={status} value={status}>
                {statusStyles[status].label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={ids.platform} className="block text-xs font-medium text-slate-600">
            Platform
          </label>
          <select
            id={ids.platform}
            value={filters.platform ?? ""}
            onChange={(event) =>
              applyFilters({ ...filters, platform: (event.target.value || undefined) as Platform | undefined })
            }
            className="mt-1 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm shadow-sm"
          >
            <option value="">All platforms</option>
            {platformOptions.map((platform) => (
              <option key={platform} value={platform}>
                {platformLabel(platform)}
              </option>
            ))}
          </select>
        </div>
        {filtered ? (
          <Button variant="ghost" className="px-2 py-1.5" onClick={() => applyFilters({})}>
            Clear filters
          </Button>
        ) : null}
        <p aria-live="polite" className="pb-1.5 text-xs text-slate-500">
          {filtering ? "Updating…" : ""}
        </p>
      </form>

      {events.length === 0 ? (
        filtered ? (
          <EmptyState title="No events match these filters">
            <p>Try another status or platform, or clear the filters to see every delivery.</p>
          </EmptyState>
        ) : (
          <EmptyState
            title="No webhook deliveries yet"
            action={
              hasPlatforms ? null : (
                <Link
                  href="/settings/platforms"
                  className="rounded-md bg-brand-600 px-3.5 py-2 text-sm font-medium text-white hover:bg-brand-700"
                >
                  Connect a platform
                </Link>
              )
            }
          >
            <p>
              When Meta delivers messages, statuses, reactions and other events for your connected Messenger, Instagram and
              WhatsApp accounts, each delivery appears here with what it held and how processing went.
            </p>
          </EmptyState>
        )
      ) : (
        <ul className="space-y-3" aria-label="Webhook events" aria-busy={filtering}>
          {events.map((event) => {
            const status = statusStyles[event.status];
            const kinds = describeKinds(event.summary, event.status);
            const received = formatWhen(event.receivedAt, timeZone);
            const described = `${platformLabel(event.platform)} event of ${received}`;
            const busy = reprocessing.has(event.id);
            return (
              <li
                key={event.id}
                className="flex flex-col gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:flex-row sm:items-start"
                data-testid="webhook-event"
              >
                <div className="flex min-w-0 flex-1 items-start gap-3">
                  <PlatformIcon platform={event.platform} className="size-8 shrink-0" />
                  <div className="min-w-0 flex-1">
                    <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
                      <p className="font-medium text-slate-900">{kinds}</p>
                      <span className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ${status.className}`}>
                        {status.label}
                      </span>
                    </div>
                    <p className="mt-0.5 text-xs text-slate-500">
                      {platformLabel(event.platform)} · <time dateTime={event.receivedAt}>{received}</time> · {event.attempts}{" "}
                      {event.attempts === 1 ? "attempt" : "attempts"} · {formatBytes(event.size)}
                    </p>
                    {event.error ? (
                      <p className="mt-2 text-sm break-words text-red-700">
                        <span className="font-medium">Error: </span>
                        {event.error}
                      </p>
                    ) : null}
                    {summaryNotes(event.summary).map((note) => (
                      <p key={note} className="mt-1 text-xs break-words text-slate-500">
                        {note}
                      </p>
                    ))}
                  </div>
                </div>
                <div className="flex shrink-0 flex-wrap gap-2 pl-11 sm:pl-0">
                  <Button
                    variant="secondary"
                    className="px-3 py-1.5"
                    aria-label={`View payload of the ${described}`}
                    onClick={() => setViewing(event)}
                  >
                    View payload
                  </Button>
                  {canReprocess ? (
                    <Button
                      variant="ghost"
                      className="px-3 py-1.5"
                      aria-label={`Reprocess the ${described}`}
                      disabled={busy}
                      onClick={() => reprocess(event)}
                    >
                      {busy ? "Reprocessing…" : "Reprocess"}
                    </Button>
                  ) : null}
                </div>
              </li>
            );
          })}
        </ul>
      )}

      {loadError ? <FormAlert message={loadError} /> : null}
      {nextCursor ? (
        <div className="flex justify-center">
          <Button variant="secondary" onClick={loadMore} disabled={loadingMore}>
            {loadingMore ? "Loading…" : "Load more"}
          </Button>
        </div>
      ) : null}

      <PayloadDialog event={viewing} timeZone={timeZone} onClose={() => setViewing(null)} />
    </div>
  );
}
