"use client";

import { useEffect, useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ApiError } from "@/lib/client/api";
import { listTemplates } from "./inbox-api";
import { rememberTemplates } from "./template-cache";
import type { TemplateComponent, WhatsAppTemplate } from "./types";

// WhatsApp's approved templates: allowed whether or not the 24-hour window is open. The body's
// {{1}}, {{2}}… become text parameters, sent as Meta's template components.

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

export function placeholdersOf(body: string): string[] {
  const names: string[] = [];
  for (const match of body.matchAll(PLACEHOLDER)) {
    const name = match[1];
    if (name && !names.includes(name)) names.push(name);
  }
  // Positional parameters go in numeric order, whatever order the text uses them in.
  return names.every((name) => /^\d+$/.test(name)) ? names.sort((a, b) => Number(a) - Number(b)) : names;
}

export function renderTemplate(body: string, values: Record<string, string>): string {
  return body.replace(PLACEHOLDER, (whole, name: string) => values[name]?.trim() || whole);
}

export function templateComponents(body: string, values: Record<string, string>): TemplateComponent[] | undefined {
  const names = placeholdersOf(body);
  if (names.length === 0) return undefined;
  const named = !names.every((name) => /^\d+$/.test(name));
  return [
    {
      type: "body",
      parameters: names.map((name) => ({
        type: "text" as const,
        text: values[name]?.trim() ?? "",
        ...(named ? { parameter_name: name } : {}),
      })),
    },
  ];
}

export interface TemplateChoice {
  template: WhatsAppTemplate;
  components: TemplateComponent[] | undefined;
  preview: string;
}

interface Loaded {
  platformId: string;
  templates: WhatsAppTemplate[];
  error: string | null;
}

export function TemplatePicker({
  open,
  platformId,
  onClose,
  onSend,
}: {
  open: boolean;
  platformId: string;
  onClose: () => void;
  onSend: (choice: TemplateChoice) => void;
}) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [selected, setSelected] = useState<string | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const formId = useId();

  useEffect(() => {
    if (!open) return;
    const controller = new AbortController();
    listTemplates(platformId, controller.signal).then(
      (templates) => {
        rememberTemplates(templates);
        setLoaded({ platformId, templates, error: null });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const message =
          error instanceof ApiError && error.status === 404
            ? "Templates are not available for this number yet."
            : error instanceof Error
              ? error.message
              : "The templates could not be loaded.";
        setLoaded({ platformId, templates: [], error: message });
      },
    );
    return () => controller.abort();
  }, [open, platformId, attempt]);

  const ready = loaded?.platformId === platformId ? loaded : null;
  const keyOf = (template: WhatsAppTemplate) => `${template.name}:${template.language}`;
  const template = ready?.templates.find((candidate) => keyOf(candidate) === selected) ?? null;
  const names = template ? placeholdersOf(template.body ?? "") : [];
  const complete = template !== null && names.every((name) => values[name]?.trim());

  const close = () => {
    setSelected(null);
    setValues({});
    onClose();
  };

  return (
    <Dialog
      open={open}
      onClose={close}
      title="Send a WhatsApp template"
      footer={
        <>
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" form={formId} disabled={!complete}>
            Send template
          </Button>
        </>
      }
    >
      <form
        id={formId}
        onSubmit={(event) => {
          event.preventDefault();
          if (!template || !complete) return;
          const body = template.body ?? "";
          onSend({
            template,
            components: templateComponents(body, values),
            preview: body ? renderTemplate(body, values) : `Template ${template.name}`,
          });
          close();
        }}
        className="space-y-4"
      >
        <p className="text-slate-600">Approved templates can be sent at any time, also after the 24-hour window has closed.</p>
        {!ready ? (
          <p role="status" className="text-slate-500">
            Loading templates…
          </p>
        ) : ready.error ? (
          <div role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-700 ring-1 ring-red-200">
            {ready.error}{" "}
            <button type="button" className="font-medium underline" onClick={() => setAttempt((value) => value + 1)}>
              Try again
            </button>
          </div>
        ) : ready.templates.length === 0 ? (
          <p className="text-slate-600">
            This WhatsApp Business Account has no approved templates yet. Create them in WhatsApp Manager.
          </p>
        ) : (
          <fieldset>
            <legend className="sr-only">Template</legend>
            <ul className="max-h-64 space-y-2 overflow-y-auto pr-1">
              {ready.templates.map((candidate) => {
                const key = keyOf(candidate);
                return (
                  <li key={key}>
                    <label
                      className={`block cursor-pointer rounded-lg p-3 ring-1 ${
                        selected === key ? "bg-brand-50 ring-brand-500" : "ring-slate-200 hover:bg-slate-50"
                      }`}
                    >
                      <span className="flex items-center gap-2">
                        <input
                          type="radio"
                          name="template"
                          value={key}
                          checked={selected === key}
                          onChange={() => {
                            setSelected(key);
                            setValues({});
                          }}
                          className="accent-brand-600"
                        />
                        <span className="font-medium text-slate-900">{candidate.name}</span>
                        <span className="ml-auto text-xs text-slate-500">
                          {candidate.category ? `${candidate.category.toLowerCase()} · ` : ""}
                          {candidate.language}
                        </span>
                      </span>
                      {candidate.body ? (
                        <span className="mt-1 block text-sm whitespace-pre-wrap text-slate-600" dir="auto">
                          {candidate.body}
                        </span>
                      ) : null}
                    </label>
                  </li>
                );
              })}
            </ul>
          </fieldset>
        )}
        {template && names.length > 0 ? (
          <div className="space-y-2">
            {names.map((name) => (
              <div key={name}>
                <label htmlFor={`${formId}-${name}`} className="block text-sm font-medium text-slate-800">
                  {`Value for {{${name}}}`}
                </label>
                <input
                  id={`${formId}-${name}`}
                  value={values[name] ?? ""}
                  required
                  maxLength={1024}
                  onChange={(event) => setValues((current) => ({ ...current, [name]: event.target.value }))}
                  className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-1.5 text-sm shadow-sm outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-100"
                />
              </div>
            ))}
          </div>
        ) : null}
        {template ? (
          <div>
            <p className="text-xs font-medium tracking-wide text-slate-500 uppercase">Preview</p>
            <p
              className="mt-1 ml-auto w-fit max-w-[85%] rounded-2xl rounded-br-md bg-brand-600 px-3 py-2 text-sm whitespace-pre-wrap text-white"
              dir="auto"
              data-testid="template-preview"
            >
              {template.body ? renderTemplate(template.body, values) : `Template ${template.name}`}
            </p>
          </div>
        ) : null}
      </form>
    </Dialog>
  );
}
