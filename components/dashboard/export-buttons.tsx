"use client";

import { useState } from "react";
import { FormAlert } from "@/components/ui/form-alert";

type ExportKind = "daily" | "messages" | "pdf";

const exports: { kind: ExportKind; label: string; params: string; busy: string }[] = [
  { kind: "daily", label: "Daily CSV", params: "format=csv&kind=daily", busy: "Preparing the daily CSV…" },
  { kind: "messages", label: "Messages CSV", params: "format=csv&kind=messages", busy: "Preparing the messages CSV…" },
  { kind: "pdf", label: "PDF report", params: "format=pdf", busy: "Preparing the PDF report…" },
];

function filenameOf(disposition: string | null): string | null {
  return disposition ? (/filename="([^"]+)"/.exec(disposition)?.[1] ?? null) : null;
}

/**
 * Downloads an export of the current selection. The file is fetched (so the button can show that it
 * is being generated and report a failure) and handed to the browser as a download.
 */
export function ExportButtons({ query }: { query: string }) {
  const [pending, setPending] = useState<ExportKind | null>(null);
  const [error, setError] = useState<string | undefined>();

  async function download(kind: ExportKind, params: string) {
    setPending(kind);
    setError(undefined);
    try {
      const response = await fetch(`/api/analytics/export?${query}&${params}`, { credentials: "same-origin" });
      if (!response.ok) throw new Error(`export answered ${response.status}`);
      const blob = await response.blob();
      const url = URL.createObjectURL(blob);
      const link = document.createElement("a");
      link.href = url;
      link.download =
        filenameOf(response.headers.get("content-disposition")) ?? `chats-${kind}.${kind === "pdf" ? "pdf" : "csv"}`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 30_000);
    } catch {
      setError("The export could not be generated. Try again in a moment.");
    } finally {
      setPending(null);
    }
  }

  return (
    <div className="flex flex-col gap-2 sm:items-end">
      <div role="group" aria-label="Export" className="flex flex-wrap gap-2">
        {exports.map((item) => (
          <button
            key={item.kind}
            type="button"
            disabled={pending !== null}
            aria-busy={pending === item.kind}
            onClick={() => download(item.kind, item.params)}
            className="inline-flex items-center gap-2 rounded-lg border border-slate-200 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50 disabled:cursor-not-allowed disabled:text-slate-400"
          >
            {pending === item.kind ? (
              <span aria-hidden className="size-3.5 animate-spin rounded-full border-2 border-current border-r-transparent" />
            ) : (
              <svg aria-hidden viewBox="0 0 20 20" className="size-4 fill-none stroke-current stroke-[1.8]">
                <path d="M10 3v10m0 0-4-4m4 4 4-4M4 16h12" strokeLinecap="round" strokeLinejoin="round" />
              </svg>
            )}
            {item.label}
          </button>
        ))}
      </div>
      <p role="status" className="text-xs text-slate-500 empty:hidden">
        {exports.find((item) => item.kind === pending)?.busy ?? ""}
      </p>
      <FormAlert message={error} />
    </div>
  );
}
