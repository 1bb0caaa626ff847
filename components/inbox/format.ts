import { PLATFORMS, platformLabels } from "@/lib/platforms/labels";
import type { Filters, Platform } from "./types";

// Formatting for the inbox. Times take the zone explicitly: the server renders in UTC and the
// browser switches to its own zone once hydrated, so both renders agree.

const LOCALE = "en-US";
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(options: Intl.DateTimeFormatOptions, timeZone: string | undefined): Intl.DateTimeFormat {
  const key = JSON.stringify([options, timeZone ?? ""]);
  let cached = formatters.get(key);
  if (!cached) {
    cached = new Intl.DateTimeFormat(LOCALE, { ...options, timeZone });
    formatters.set(key, cached);
  }
  return cached;
}

/** YYYY-MM-DD of an instant in a zone: groups messages by day. */
export function dayKey(iso: string | number, timeZone: string | undefined): string {
  const parts = formatter({ year: "numeric", month: "2-digit", day: "2-digit" }, timeZone).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** Whole days between two calendar days (b − a). */
function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY);
}

/** "2:05 PM" */
export function formatClock(iso: string, timeZone: string | undefined): string {
  return formatter({ hour: "numeric", minute: "2-digit" }, timeZone).format(new Date(iso));
}

/** "Monday, March 3, 2025 at 2:05 PM": for title attributes. */
export function formatFullDate(iso: string, timeZone: string | undefined): string {
  return formatter({ dateStyle: "full", timeStyle: "short" }, timeZone).format(new Date(iso));
}

/** The conversation list's time: clock today, "Yesterday", weekday this week, else the date. */
export function formatListTime(iso: string, now: number, timeZone: string | undefined): string {
  const days = daysBetween(dayKey(iso, timeZone), dayKey(now, timeZone));
  if (days <= 0) return formatClock(iso, timeZone);
  if (days === 1) return "Yesterday";
  if (days < 7) return formatter({ weekday: "short" }, timeZone).format(new Date(iso));
  const sameYear = dayKey(iso, timeZone).slice(0, 4) === dayKey(now, timeZone).slice(0, 4);
  return formatter(
    sameYear ? { month: "short", day: "numeric" } : { year: "numeric", month: "short", day: "numeric" },
    timeZone,
  ).format(new Date(iso));
}

/** The thread's day separator: "Today", "Yesterday", "Monday, March 3" (with the year when not this year). */
export function formatDayLabel(iso: string, now: number, timeZone: string | undefined): string {
  const days = daysBetween(dayKey(iso, timeZone), dayKey(now, timeZone));
  if (days === 0) return "Today";
  if (days === 1) return "Yesterday";
  const sameYear = dayKey(iso, timeZone).slice(0, 4) === dayKey(now, timeZone).slice(0, 4);
  return formatter(
    sameYear
      ? { weekday: "long", month: "long", day: "numeric" }
      : { weekday: "long", year: "numeric", month: "long", day: "numeric" },
    timeZone,
  ).format(new Date(iso));
}

/** "5 h 12 min", "23 min", "less than a minute". */
export function formatDuration(ms: number): string {
  if (ms < MINUTE) return "less than a minute";
  const hours = Math.floor(ms / HOUR);
  const minutes = Math.floor((ms % HOUR) / MINUTE);
  if (hours === 0) return `${minutes} min`;
  return minutes === 0 ? `${hours} h` : `${hours} h ${minutes} min`;
}

/** "3 days ago", "5 h ago": for when the reply window closed. */
export function formatAgo(ms: number): string {
  if (ms >= 2 * DAY) return `${Math.floor(ms / DAY)} days ago`;
  return `${formatDuration(ms)} ago`;
}

/** Up to two letters for an avatar, by code point so emoji and non-Latin names stay whole. */
export function initialsOf(name: string | null | undefined): string {
  const words = (name ?? "").trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  const initials = letters.map((word) => Array.from(word ?? "")[0] ?? "").join("");
  return initials.toUpperCase() || "?";
}

export function displayName(participant: { name: string | null; username: string | null; externalId: string }): string {
  return participant.name || (participant.username ? `@${participant.username}` : participant.externalId);
}

/** Only our own media route and http(s) URLs are ever put in src/href. */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  if (url.startsWith("/api/media/")) return url;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.toString() : null;
  } catch {
    return null;
  }
}

export function mapUrl(latitude: number, longitude: number): string {
  const lat = latitude.toFixed(6);
  const lon = longitude.toFixed(6);
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=16/${lat}/${lon}`;
}

/** Why free-form replies are closed, in the platform's terms. */
export function windowRule(platform: Platform): string {
  return platform === "whatsapp"
    ? "WhatsApp allows free-form replies for 24 hours after the customer's last message. An approved template can be sent at any time."
    : `${platformLabels[platform]} allows replies only within 24 hours of the customer's last message. You can answer again once they write.`;
}

export function filtersToParams(filters: Filters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.platform) params.set("platform", filters.platform);
  if (filters.unread) params.set("unread", "true");
  if (filters.archived) params.set("archived", "true");
  if (filters.q.trim()) params.set("q", filters.q.trim());
  return params;
}

export function filtersKey(filters: Filters): string {
  return filtersToParams(filters).toString();
}

export function parseFilters(get: (name: string) => string | null | undefined): Filters {
  const platform = get("platform");
  return {
    platform: (PLATFORMS as readonly (string | null | undefined)[]).includes(platform) ? (platform as Platform) : null,
    unread: get("unread") === "true",
    archived: get("archived") === "true",
    q: (get("q") ?? "").slice(0, 200),
  };
}

/** Whether a conversation belongs in the list under these filters (search is the server's to decide). */
export function matchesFilters(
  conversation: { platform: Platform; unreadCount: number; isArchived: boolean },
  filters: Filters,
): boolean {
  if (filters.platform && conversation.platform !== filters.platform) return false;
  if (filters.unread && conversation.unreadCount === 0) return false;
  return conversation.isArchived === filters.archived;
}
