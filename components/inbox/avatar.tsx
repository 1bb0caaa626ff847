"use client";

import { useState } from "react";
import { PlatformIcon } from "@/components/platforms/platform-icon";
import { initialsOf, safeUrl } from "./format";
import type { Platform } from "./types";

const palette = [
  "bg-rose-100 text-rose-800",
  "bg-amber-100 text-amber-800",
  "bg-emerald-100 text-emerald-800",
  "bg-sky-100 text-sky-800",
  "bg-violet-100 text-violet-800",
  "bg-teal-100 text-teal-800",
  "bg-fuchsia-100 text-fuchsia-800",
  "bg-lime-100 text-lime-800",
];

function colorOf(seed: string): string {
  let hash = 0;
  for (const char of seed) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return palette[hash % palette.length] ?? "bg-slate-100 text-slate-700";
}

/** The contact's picture, or their initials when there is none (or it fails to load); decorative. */
export function Avatar({
  name,
  url,
  seed,
  platform,
  size = "md",
}: {
  name: string;
  url: string | null;
  seed: string;
  platform?: Platform;
  size?: "sm" | "md" | "lg";
}) {
  const [failed, setFailed] = useState<string | null>(null);
  const src = safeUrl(url);
  const dimension = size === "lg" ? "size-16 text-xl" : size === "sm" ? "size-8 text-xs" : "size-11 text-sm";
  return (
    <span aria-hidden="true" className={`relative inline-flex shrink-0 ${dimension}`}>
      {src && failed !== src ? (
        <img
          src={src}
          alt=""
          referrerPolicy="no-referrer"
          loading="lazy"
          onError={() => setFailed(src)}
          className="size-full rounded-full bg-slate-100 object-cover"
        />
      ) : (
        <span className={`flex size-full items-center justify-center rounded-full font-semibold ${colorOf(seed)}`}>
          {initialsOf(name)}
        </span>
      )}
      {platform ? (
        <span className="absolute -right-0.5 -bottom-0.5 rounded-full bg-white p-px">
          <PlatformIcon platform={platform} decorative className={size === "lg" ? "size-5" : "size-4"} />
        </span>
      ) : null}
    </span>
  );
}
