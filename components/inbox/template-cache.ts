import type { WhatsAppTemplate } from "./types";

// Template bodies seen by the picker in this tab, so a sent template (stored as name + parameters)
// can show the text the customer received.

const bodies = new Map<string, string>();

export function rememberTemplates(templates: WhatsAppTemplate[]): void {
  for (const template of templates) if (template.body) bodies.set(`${template.name}:${template.language}`, template.body);
}

export function templateBody(name: string, language: string | null): string | null {
  if (language) return bodies.get(`${name}:${language}`) ?? null;
  for (const [key, body] of bodies) if (key.startsWith(`${name}:`)) return body;
  return null;
}
