import type { Platform } from "@/db/schema/enums";
import { platformLabels } from "@/lib/platforms/labels";

export function platformLabel(platform: Platform): string {
  return platformLabels[platform];
}

/** The platform's mark, with its name for screen readers unless `decorative`. */
export function PlatformIcon({
  platform,
  className = "size-5",
  decorative = false,
}: {
  platform: Platform;
  className?: string;
  decorative?: boolean;
}) {
  const a11y = decorative ? { "aria-hidden": true } : { role: "img", "aria-label": platformLabels[platform] };
  if (platform === "whatsapp") {
    return (
      <svg viewBox="0 0 24 24" className={className} {...a11y}>
        <circle cx="12" cy="12" r="12" fill="#25D366" />
        <path
          fill="#fff"
          d="M12 5.2a6.8 6.8 0 0 0-5.9 10.2l-.9 3.4 3.5-.9A6.8 6.8 0 1 0 12 5.2zm3.6 9.4c-.2.4-.9.8-1.3.8-.3 0-.7.1-2.3-.5-1.9-.8-3.1-2.8-3.2-2.9-.1-.1-.8-1-.8-2s.5-1.4.7-1.6c.2-.2.4-.2.5-.2h.4c.1 0 .3 0 .4.3l.6 1.4c.1.1.1.3 0 .4l-.2.4-.3.3c-.1.1-.2.2-.1.4.1.2.6 1 1.3 1.6.9.8 1.6 1 1.8 1.1.2.1.3.1.5-.1l.6-.7c.1-.2.3-.2.5-.1l1.4.7c.2.1.3.1.4.2 0 .2 0 .6-.1 1z"
        />
      </svg>
    );
  }
  if (platform === "instagram") {
    return (
      <svg viewBox="0 0 24 24" className={className} {...a11y}>
        <defs>
          <linearGradient id="ig-gradient" x1="0" y1="1" x2="1" y2="0">
            <stop offset="0" stopColor="#FEDA75" />
            <stop offset="0.35" stopColor="#FA7E1E" />
            <stop offset="0.6" stopColor="#D62976" />
            <stop offset="1" stopColor="#4F5BD5" />
          </linearGradient>
        </defs>
        <rect width="24" height="24" rx="6" fill="url(#ig-gradient)" />
        <rect x="5.5" y="5.5" width="13" height="13" rx="4" fill="none" stroke="#fff" strokeWidth="1.8" />
        <circle cx="12" cy="12" r="3.2" fill="none" stroke="#fff" strokeWidth="1.8" />
        <circle cx="16.2" cy="7.8" r="1" fill="#fff" />
      </svg>
    );
  }
  return (
    <svg viewBox="0 0 24 24" className={className} {...a11y}>
      <circle cx="12" cy="12" r="12" fill="#0866FF" />
      <path
        fill="#fff"
        d="M12 5c-4 0-7 2.9-7 6.7 0 2 .9 3.8 2.3 5v2.3l2.1-1.2c.8.2 1.7.4 2.6.4 4 0 7-2.9 7-6.6S16 5 12 5zm.7 8.9-1.8-1.9-3.4 1.9 3.8-4 1.8 1.9 3.4-1.9-3.8 4z"
      />
    </svg>
  );
}
