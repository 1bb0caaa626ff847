import type { Message } from "./types";

const labels: Record<Message["status"], string> = {
  received: "Received",
  pending: "Sending",
  sent: "Sent",
  delivered: "Delivered",
  read: "Read",
  failed: "Not delivered",
};

/** The outgoing message's delivery state: clock, ✓, ✓✓, coloured ✓✓, or a failure mark. */
export function StatusTicks({ status, className = "" }: { status: Message["status"]; className?: string }) {
  const label = labels[status];
  const common = { role: "img", "aria-label": label, "data-status": status } as const;
  if (status === "pending") {
    return (
      <svg {...common} viewBox="0 0 16 16" className={`size-3.5 fill-none stroke-current stroke-[1.6] ${className}`}>
        <title>{label}</title>
        <circle cx="8" cy="8" r="6" />
        <path d="M8 5v3.2l2 1.3" strokeLinecap="round" />
      </svg>
    );
  }
  if (status === "failed") {
    return (
      <svg {...common} viewBox="0 0 16 16" className={`size-3.5 text-red-500 ${className}`}>
        <title>{label}</title>
        <circle cx="8" cy="8" r="7" className="fill-current" />
        <path d="M8 4.5v4.5M8 11.2v.3" className="stroke-white" strokeWidth="1.8" strokeLinecap="round" />
      </svg>
    );
  }
  if (status === "sent" || status === "received") {
    return (
      <svg {...common} viewBox="0 0 16 16" className={`size-3.5 fill-none stroke-current stroke-[1.6] ${className}`}>
        <title>{label}</title>
        <path d="M3 8.5 6.2 11.5 13 4.5" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
    );
  }
  return (
    <svg
      {...common}
      viewBox="0 0 20 16"
      className={`h-3.5 w-[1.1rem] fill-none stroke-[1.6] ${status === "read" ? "stroke-emerald-300 stroke-2" : "stroke-current"} ${className}`}
    >
      <title>{label}</title>
      <path d="M1.5 8.5 4.7 11.5 11.5 4.5M8 11.3l.3.2L15 4.5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
