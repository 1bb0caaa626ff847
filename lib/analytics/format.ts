// Display formatting shared by the dashboard (client) and the PDF report (server).

/** Seconds as "45s", "4m 12s", "3h 5m", "2d 4h"; null (no samples) as an em dash. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "—";
  const total = Math.max(0, Math.round(seconds));
  if (total < 60) return `${total}s`;
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3_600);
  const minutes = Math.floor((total % 3_600) / 60);
  const secs = total % 60;
  if (days > 0) return hours > 0 ? `${days}d ${hours}h` : `${days}d`;
  if (hours > 0) return minutes > 0 ? `${hours}h ${minutes}m` : `${hours}h`;
  return secs > 0 ? `${minutes}m ${secs}s` : `${minutes}m`;
}

const integer = new Intl.NumberFormat("en-US");

export function formatCount(value: number): string {
  return integer.format(value);
}

/** A 0..1 share as "42%" (one decimal under 10%). */
export function formatShare(share: number): string {
  const percent = share * 100;
  if (percent > 0 && percent < 10) return `${percent.toFixed(1)}%`;
  return `${Math.round(percent)}%`;
}

export interface Change {
  direction: "up" | "down" | "flat";
  /** "+3 (+33%)", "−2 (−50%)", "no change"; the percentage is left out when yesterday was 0. */
  text: string;
}

export function describeChange(today: number, yesterday: number): Change {
  const delta = today - yesterday;
  if (delta === 0) return { direction: "flat", text: "no change" };
  const sign = delta > 0 ? "+" : "−";
  const percent = yesterday > 0 ? ` (${sign}${Math.round((Math.abs(delta) / yesterday) * 100)}%)` : "";
  return { direction: delta > 0 ? "up" : "down", text: `${sign}${formatCount(Math.abs(delta))}${percent}` };
}
