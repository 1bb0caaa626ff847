"use client";

import { useEffect, useRef } from "react";
import { Icon } from "./icons";
import type { ImageTarget } from "./message-body";

/** A full-screen photo viewer on the native <dialog> (focus trap, Esc closes, background inert). */
export function ImageViewer({ image, onClose }: { image: ImageTarget | null; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (image && !dialog.open) dialog.showModal();
    if (!image && dialog.open) dialog.close();
  }, [image]);
  return (
    <dialog
      ref={ref}
      aria-label={image ? `Photo: ${image.alt}` : "Photo"}
      onClose={onClose}
      onCancel={onClose}
      onClick={(event) => {
        // A click on the backdrop (the dialog itself, not its content) closes it.
        if (event.target === event.currentTarget) onClose();
      }}
      className="m-0 h-dvh max-h-none w-screen max-w-none bg-slate-950/90 p-0 backdrop:bg-slate-950/70"
    >
      {image ? (
        <div className="flex h-full flex-col">
          <div className="flex items-center justify-end gap-2 p-3">
            <a
              href={image.src}
              download={image.name ?? "photo"}
              target="_blank"
              rel="noopener noreferrer"
              className="inline-flex items-center gap-1.5 rounded-md px-3 py-1.5 text-sm font-medium text-white ring-1 ring-white/30 hover:bg-white/10"
            >
              <Icon name="download" className="size-4" />
              Download
            </a>
            <button
              type="button"
              onClick={onClose}
              aria-label="Close photo"
              autoFocus
              className="rounded-md p-1.5 text-white ring-1 ring-white/30 hover:bg-white/10"
            >
              <Icon name="close" />
            </button>
          </div>
          <div
            className="flex min-h-0 flex-1 items-center justify-center p-4 pt-0"
            onClick={(event) => event.target === event.currentTarget && onClose()}
          >
            <img
              src={image.src}
              alt={image.alt}
              referrerPolicy="no-referrer"
              className="max-h-full max-w-full rounded-md object-contain"
            />
          </div>
        </div>
      ) : null}
    </dialog>
  );
}
