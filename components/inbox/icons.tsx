// Inline stroke icons (24×24 grid, currentColor), decorative: the control around them carries the name.

const paths = {
  search: "M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14zm10 3-5.2-5.2",
  back: "M15 18l-6-6 6-6",
  send: "M4 12 20 4l-6 16-3-7-7-1z",
  archive: "M3 5h18v4H3zm2 4v10h14V9M10 13h4",
  unarchive: "M3 5h18v4H3zm2 4v10h14V9m-7 8v-6m-3 3 3-3 3 3",
  info: "M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zm0-11v6m0-9h.01",
  close: "M6 6l12 12M18 6 6 18",
  download: "M12 4v11m-5-5 5 5 5-5M5 20h14",
  file: "M14 3H6v18h12V7zm0 0v4h4",
  pin: "M12 21s-7-6.2-7-11.5A7 7 0 0 1 19 9.5C19 14.8 12 21 12 21zm0-9a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5z",
  template: "M5 4h14v16H5zM8 8h8M8 12h8M8 16h5",
  retry: "M4 12a8 8 0 0 1 14-5.3L20 9M20 4v5h-5M20 12a8 8 0 0 1-14 5.3L4 15m0 5v-5h5",
  clock: "M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zm0-13v4l3 2",
  alert: "M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zm0-13v5m0 3h.01",
  reply: "M10 9V5l-7 7 7 7v-4c5 0 8 1.5 10 5-1-5-4-10-10-11z",
  external: "M14 4h6v6m0-6-9 9M18 14v6H4V6h6",
  chevronDown: "M6 9l6 6 6-6",
  user: "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm-7 9a7 7 0 0 1 14 0",
  arrowDown: "M12 5v14m-6-6 6 6 6-6",
  inbox: "M3 13l3-8h12l3 8v6H3zm0 0h5l1 3h6l1-3h5",
} as const;

export type IconName = keyof typeof paths;

export function Icon({ name, className = "size-5" }: { name: IconName; className?: string }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" className={`shrink-0 fill-none stroke-current stroke-[1.8] ${className}`}>
      <path d={paths[name]} strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
