import fs from "node:fs";
import path from "node:path";
import type { TargetRow } from "./targets";

// The printed table (also pasted into README's Benchmarks section) and the JSON files.

const verdict = (pass: boolean | null) => (pass === null ? "–" : pass ? "pass" : "MISS");

/** A Markdown table: readable in a terminal, and the README takes it as is. */
export function renderTable(rows: readonly TargetRow[]): string {
  const header = ["#", "measure", "result", "target", ""];
  const cells = rows.map((row) => [String(row.scenario), row.measure, row.result, row.target, verdict(row.pass)]);
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((line) => (line[i] ?? "").length)));
  const line = (values: string[]) => `| ${values.map((value, i) => value.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...cells.map(line)].join("\n");
}

/** `bench/results/<date>-<mode>.json` and `latest-<mode>.json`; returns the dated path. */
export function writeResults(dir: string, mode: string, startedAt: Date, result: unknown): string {
  fs.mkdirSync(dir, { recursive: true });
  const stamp = startedAt
    .toISOString()
    .replace(/:/g, "-")
    .replace(/\.\d+Z$/, "Z");
  const text = `${JSON.stringify(result, null, 2)}\n`;
  const dated = path.join(dir, `${stamp}-${mode}.json`);
  fs.writeFileSync(dated, text);
  fs.writeFileSync(path.join(dir, `latest-${mode}.json`), text);
  return dated;
}
