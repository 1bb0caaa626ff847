"use client";

import { useEffect, useState } from "react";
import { platformLabel } from "@/components/platforms/platform-icon";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormAlert } from "@/components/ui/form-alert";
import { useToast } from "@/components/ui/toast";
import { ApiError, apiFetch } from "@/lib/client/api";
import type { WebhookEventDetailDto, WebhookEventDto } from "@/lib/webhooks/events-admin";
import { formatBytes, formatWhen, prettyPayload, summaryNotes } from "./format";

// Very large bodies (WhatsApp sends up to 3 MB) would freeze the page as one text node.
const SHOWN_CHARS = 200_000;

type Loaded = { id: string; event: WebhookEventDetailDto } | { id: string; error: string };

/** The stored delivery with its raw body, shown as text (indented JSON when it parses). */
export function PayloadDialog({
  event,
  timeZone,
  onClose,
}: {
  event: WebhookEventDto | null;
  timeZone: string | undefined;
  onClose: () => void;
}) {
  const toast = useToast();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [raw, setRaw] = useState(false);
  const id = event?.id ?? null;

  useEffect(() => {
    if (!id) return;
    const controller = new AbortController();
    apiFetch<{ event: WebhookEventDetailDto }>(`/api/webhook-events/${id}`, { signal: controller.signal })
      .then((body) => setLoaded({ id, event: body.event }))
      .catch((error: unknown) => {
        if ((error as Error).name === "AbortError") return;
        setLoaded({ id, error: error instanceof ApiError ? error.message : "The payload could not be loaded." });
      });
    return () => controller.abort();
  }, [id]);

  const current = loaded && loaded.id === id ? loaded : null;
  const detail = current && "event" in current ? current.event : null;
  const body = detail ? (raw ? { text: detail.payload, formatted: false } : prettyPayload(detail.payload)) : null;
  const truncated = body !== null && body.text.length > SHOWN_CHARS;

  async function copy() {
    if (!detail) return;
    try {
      await navigator.clipboard.writeText(detail.payload);
      toast("Raw body copied.", "success");
    } catch {
      toast("Copying is not allowed here; select the text instead.", "error");
    }
  }

  function close() {
    setRaw(false);
    setLoaded(null);
    onClose();
  }

  return (
    <Dialog
      open={event !== null}
      onClose={close}
      title={event ? `${platformLabel(event.platform)} webhook payload` : "Webhook payload"}
      footer={
        <>
          <Button variant="secondary" onClick={copy} disabled={!detail}>
            Copy raw body
          </Button>
          <Button onClick={close}>Close</Button>
        </>
      }
    >
      {!current ? (
        <p role="status">Loading the payload…</p>
      ) : "error" in current ? (
        <FormAlert message={current.error} />
      ) : detail && body ? (
        <div className="space-y-3">
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs">
            <dt className="text-slate-500">Received</dt>
            <dd>{formatWhen(detail.receivedAt, timeZone)}</dd>
            <dt className="text-slate-500">Processed</dt>
            <dd>{detail.processedAt ? formatWhen(detail.processedAt, timeZone) : "Not yet"}</dd>
            {detail.nextAttemptAt ? (
              <>
                <dt className="text-slate-500">Next retry</dt>
                <dd>{formatWhen(detail.nextAttemptAt, timeZone)}</dd>
              </>
            ) : null}
            <dt className="text-slate-500">Object</dt>
            <dd className="break-all">{detail.object ?? "—"}</dd>
            <dt className="text-slate-500">Size</dt>
            <dd>{formatBytes(detail.size)}</dd>
            <dt className="text-slate-500">Signature</dt>
            <dd>{detail.signatureOk ? "Verified (X-Hub-Signature-256)" : "Did not match"}</dd>
          </dl>
          {summaryNotes(detail.summary).map((note) => (
            <p key={note} className="text-xs break-words text-slate-600">
              {note}
            </p>
          ))}
          <div className="flex items-center justify-between gap-2">
            <p className="text-xs text-slate-500">
              {raw
                ? "Exactly as received: Meta's escaping is kept, as the signature covers these bytes."
                : body.formatted
                  ? "Indented, with Meta's \\u escapes decoded."
                  : "Not valid JSON: shown as stored."}
            </p>
            <Button
              variant="ghost"
              className={`shrink-0 px-2 py-1 text-xs ${raw ? "bg-slate-200" : ""}`}
              aria-pressed={raw}
              onClick={() => setRaw((value) => !value)}
            >
              Show raw
            </Button>
          </div>
          <pre
            tabIndex={0}
            aria-label="Payload"
            data-testid="webhook-payload"
            className="max-h-[55vh] overflow-auto rounded-md bg-slate-950 p-3 font-mono text-xs leading-relaxed whitespace-pre text-slate-100"
          >
            {truncated ? body.text.slice(0, SHOWN_CHARS) : body.text}
          </pre>
          {truncated ? (
            <p className="text-xs text-slate-500">
              Showing the first {SHOWN_CHARS.toLocaleString("en")} of {body.text.length.toLocaleString("en")} characters; copy the
              raw body for all of it.
            </p>
          ) : null}
        </div>
      ) : null}
    </Dialog>
  );
}
