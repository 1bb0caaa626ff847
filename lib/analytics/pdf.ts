import "server-only";
import type { Readable } from "node:stream";
import PDFDocument from "pdfkit";
import { PLATFORMS, platformLabels } from "@/lib/platforms/labels";
import { formatCount, formatDuration, formatShare } from "./format";
import { daysBetween, formatRange } from "./range";
import type { Report } from "./report";
import { volumeSeries, type VolumePoint } from "./series";

// The PDF report, drawn with pdfkit's vector primitives on A4: black text on white, platform series
// told apart by grey level and a legend (it must survive a black-and-white printer), the built-in
// Helvetica so no font file ships with the app.

const PAGE = { width: 595.28, height: 841.89, margin: 50 };
const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
const BOTTOM = PAGE.height - PAGE.margin;
const INK = "#000000";
const MUTED = "#444444";
const RULE = "#999999";
const FILLS: Record<(typeof PLATFORMS)[number], string> = { instagram: "#1a1a1a", messenger: "#7a7a7a", whatsapp: "#c8c8c8" };

/**
 * The standard PDF fonts only carry the WinAnsi (cp1252) characters; anything else (a workspace
 * named in Cyrillic, an emoji) would print as garbage, so it becomes "?".
 */
export function toWinAnsi(text: string): string {
  return [...text].map((char) => (/[\x20-\x7e\xa0-\xff–—‘’“”•…€™]/.test(char) ? char : "?")).join("");
}

type Doc = PDFKit.PDFDocument;

function heading(doc: Doc, text: string, y: number): number {
  doc.font("Helvetica-Bold").fontSize(13).fillColor(INK).text(text, PAGE.margin, y, { width: CONTENT_WIDTH });
  const bottom = y + 18;
  doc
    .moveTo(PAGE.margin, bottom)
    .lineTo(PAGE.margin + CONTENT_WIDTH, bottom)
    .lineWidth(0.5)
    .strokeColor(RULE)
    .stroke();
  return bottom + 8;
}

function ensureSpace(doc: Doc, y: number, needed: number): number {
  if (y + needed <= BOTTOM) return y;
  doc.addPage();
  return PAGE.margin;
}

function figureGrid(doc: Doc, y: number, figures: { label: string; value: string }[]): number {
  const columns = 4;
  const cellWidth = CONTENT_WIDTH / columns;
  const rowHeight = 42;
  figures.forEach((figure, index) => {
    const x = PAGE.margin + (index % columns) * cellWidth;
    const top = y + Math.floor(index / columns) * rowHeight;
    doc
      .font("Helvetica")
      .fontSize(9)
      .fillColor(MUTED)
      .text(figure.label, x, top, { width: cellWidth - 8 });
    doc
      .font("Helvetica-Bold")
      .fontSize(18)
      .fillColor(INK)
      .text(figure.value, x, top + 13, { width: cellWidth - 8 });
  });
  return y + Math.ceil(figures.length / columns) * rowHeight;
}

function table(doc: Doc, y: number, header: string[], body: string[][], widths: number[]): number {
  const rowHeight = 16;
  let top = y;
  const row = (cells: string[], bold: boolean) => {
    let x = PAGE.margin;
    cells.forEach((cell, index) => {
      const width = widths[index] ?? 60;
      doc
        .font(bold ? "Helvetica-Bold" : "Helvetica")
        .fontSize(bold ? 8.5 : 9.5)
        .fillColor(INK)
        .text(cell, x + 4, top + 4, { width: width - 8, align: index === 0 ? "left" : "right", lineBreak: false });
      x += width;
    });
    top += rowHeight;
    doc
      .moveTo(PAGE.margin, top)
      .lineTo(PAGE.margin + CONTENT_WIDTH, top)
      .lineWidth(bold ? 0.8 : 0.3)
      .strokeColor(bold ? INK : RULE)
      .stroke();
  };
  row(header, true);
  for (const cells of body) row(cells, false);
  return top + 6;
}

/** A niceish axis maximum: 1, 2 or 5 × a power of ten, at or above the largest value. */
function axisMax(value: number): number {
  if (value <= 4) return 4;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function volumeChart(doc: Doc, y: number, points: VolumePoint[], weekly: boolean): number {
  const height = 140;
  const axisWidth = 34;
  const plotLeft = PAGE.margin + axisWidth;
  const plotWidth = CONTENT_WIDTH - axisWidth;
  const plotTop = y + 4;
  const plotBottom = plotTop + height;
  const max = axisMax(Math.max(0, ...points.map((point) => point.total)));

  // Grid and y-axis labels.
  for (let i = 0; i <= 4; i++) {
    const value = (max / 4) * i;
    const lineY = plotBottom - (height * i) / 4;
    doc
      .moveTo(plotLeft, lineY)
      .lineTo(plotLeft + plotWidth, lineY)
      .lineWidth(i === 0 ? 0.8 : 0.3)
      .strokeColor(i === 0 ? INK : RULE)
      .stroke();
    doc
      .font("Helvetica")
      .fontSize(8)
      .fillColor(MUTED)
      .text(formatCount(Math.round(value)), PAGE.margin, lineY - 4, { width: axisWidth - 6, align: "right", lineBreak: false });
  }

  // Stacked bars, bottom to top in platform order, each segment outlined so light greys stay visible.
  const slot = plotWidth / Math.max(points.length, 1);
  const barWidth = Math.max(1, Math.min(28, slot * 0.7));
  points.forEach((point, index) => {
    const x = plotLeft + index * slot + (slot - barWidth) / 2;
    let base = plotBottom;
    for (const platform of PLATFORMS) {
      const value = point[platform];
      if (value <= 0) continue;
      const segment = (height * value) / max;
      doc
        .rect(x, base - segment, barWidth, segment)
        .lineWidth(0.4)
        .fillAndStroke(FILLS[platform], INK);
      base -= segment;
    }
  });

  // X-axis labels: at most ~8, evenly spread, always the first and last.
  const labelEvery = Math.max(1, Math.ceil(points.length / 8));
  const last = points.length - 1;
  const lastRegular = last - (last % labelEvery);
  points.forEach((point, index) => {
    const regular = index % labelEvery === 0;
    // The last point gets a label too unless it would crowd the previous one.
    const closing = index === last && !regular && last - lastRegular >= labelEvery * 0.75;
    if (!regular && !closing) return;
    const center = plotLeft + index * slot + slot / 2;
    const label = weekly ? point.label.replace("Week of ", "") : point.label;
    doc
      .font("Helvetica")
      .fontSize(8)
      .fillColor(MUTED)
      .text(label, center - 30, plotBottom + 4, { width: 60, align: "center", lineBreak: false });
  });

  // Legend.
  let legendX = plotLeft;
  const legendY = plotBottom + 20;
  for (const platform of PLATFORMS) {
    doc.rect(legendX, legendY, 9, 9).lineWidth(0.4).fillAndStroke(FILLS[platform], INK);
    doc
      .font("Helvetica")
      .fontSize(9)
      .fillColor(INK)
      .text(platformLabels[platform], legendX + 13, legendY, { lineBreak: false });
    legendX += 13 + doc.widthOfString(platformLabels[platform]) + 18;
  }
  doc
    .font("Helvetica")
    .fontSize(8)
    .fillColor(MUTED)
    .text(weekly ? "Messages per week (incoming + outgoing)" : "Messages per day (incoming + outgoing)", plotLeft, legendY + 1, {
      width: plotWidth,
      align: "right",
      lineBreak: false,
    });
  return legendY + 22;
}

/** Draws the report and returns the document as a byte stream (pdfkit's own Readable). */
export function renderReportPdf(report: Report): Readable {
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: PAGE.margin, bottom: PAGE.margin, left: PAGE.margin, right: PAGE.margin },
    info: {
      Title: `Chats analytics report, ${report.from} to ${report.to}`,
      Author: "Chats",
      Subject: toWinAnsi(report.workspaceName),
    },
    bufferPages: true,
  });

  const dayCount = daysBetween(report.from, report.to) + 1;
  let y = PAGE.margin;
  doc.font("Helvetica-Bold").fontSize(22).fillColor(INK).text("Chats analytics report", PAGE.margin, y);
  y += 30;
  const meta: [string, string][] = [
    ["Workspace", toWinAnsi(report.workspaceName)],
    ["Period", `${formatRange(report)} (${dayCount} ${dayCount === 1 ? "day" : "days"})`],
    ["Time zone", `${report.timezone} (days start at local midnight)`],
    ["Platforms", report.platform ? platformLabels[report.platform] : "All platforms"],
    ["Generated", `${report.generatedAt.toISOString().slice(0, 16).replace("T", " ")} UTC`],
  ];
  for (const [label, value] of meta) {
    doc.font("Helvetica-Bold").fontSize(10).fillColor(INK).text(label, PAGE.margin, y, { width: 80, lineBreak: false });
    doc
      .font("Helvetica")
      .fontSize(10)
      .fillColor(INK)
      .text(value, PAGE.margin + 80, y, { width: CONTENT_WIDTH - 80, lineBreak: false });
    y += 14;
  }

  const { totals } = report.breakdown;
  const times = report.responseTimes;
  y = heading(doc, "Summary", y + 8);
  y = figureGrid(doc, y, [
    { label: "Incoming messages", value: formatCount(totals.incoming) },
    { label: "Outgoing messages", value: formatCount(totals.outgoing) },
    { label: "Active conversations", value: formatCount(totals.conversations) },
    { label: "New conversations", value: formatCount(totals.newConversations) },
    { label: "First response, median", value: formatDuration(times.firstResponse.p50) },
    { label: "First response, p90", value: formatDuration(times.firstResponse.p90) },
    { label: "Reply time, median", value: formatDuration(times.reply.p50) },
    { label: "Reply time, p90", value: formatDuration(times.reply.p90) },
  ]);

  const weekly = dayCount > 62;
  y = ensureSpace(doc, y + 8, 210);
  y = heading(doc, weekly ? "Message volume per week" : "Message volume per day", y);
  y = volumeChart(doc, y, volumeSeries(report.daily, weekly ? "weekly" : "daily"), weekly);

  const shown = report.platform ? [report.platform] : PLATFORMS;
  const rows = report.breakdown.platforms.filter((row) => shown.includes(row.platform));
  y = ensureSpace(doc, y + 6, 40 + 16 * (rows.length + 2));
  y = heading(doc, "By platform", y);
  y = table(
    doc,
    y,
    ["Platform", "Incoming", "Outgoing", "Conversations", "New", "Share"],
    [
      ...rows.map((row) => [
        platformLabels[row.platform],
        formatCount(row.incoming),
        formatCount(row.outgoing),
        formatCount(row.conversations),
        formatCount(row.newConversations),
        formatShare(row.share),
      ]),
      [
        "All platforms",
        formatCount(totals.incoming),
        formatCount(totals.outgoing),
        formatCount(totals.conversations),
        formatCount(totals.newConversations),
        totals.incoming + totals.outgoing > 0 ? "100%" : "0%",
      ],
    ],
    [135, 72, 72, 88, 64, 64],
  );

  y = ensureSpace(doc, y + 6, 40 + 16 * (shown.length + 2));
  y = heading(doc, "Response times", y);
  const timeRow = (label: string, entry: { firstResponse: typeof times.firstResponse; reply: typeof times.reply }) => [
    label,
    formatDuration(entry.firstResponse.p50),
    formatDuration(entry.firstResponse.p90),
    formatDuration(entry.reply.p50),
    formatDuration(entry.reply.p90),
  ];
  y = table(
    doc,
    y,
    ["Platform", "First response p50", "First response p90", "Reply p50", "Reply p90"],
    [
      ...shown.map((platform) => {
        const entry = times.byPlatform.find((candidate) => candidate.platform === platform);
        return timeRow(
          platformLabels[platform],
          entry ?? { firstResponse: { p50: null, p90: null, samples: 0 }, reply: { p50: null, p90: null, samples: 0 } },
        );
      }),
      timeRow("All platforms", times),
    ],
    [115, 95, 95, 95, 95],
  );

  const notes =
    "First response: for each customer message that starts a wait (their first message since the team last wrote), " +
    "the time until the team's next message. Reply time: for every customer message, the time until the team's next message. " +
    "Unanswered messages are not counted. Samples belong to the day of the customer's message; p50 is the median, " +
    "p90 the time within which 90% were answered. Active conversations had at least one message in the period.";
  y = ensureSpace(doc, y + 4, doc.font("Helvetica").fontSize(8).heightOfString(notes, { width: CONTENT_WIDTH }));
  doc.font("Helvetica").fontSize(8).fillColor(MUTED).text(notes, PAGE.margin, y, { width: CONTENT_WIDTH });

  const pages = doc.bufferedPageRange();
  for (let index = 0; index < pages.count; index++) {
    doc.switchToPage(pages.start + index);
    // Text inside the bottom margin would otherwise make pdfkit open a new page.
    doc.page.margins.bottom = 0;
    doc
      .font("Helvetica")
      .fontSize(8)
      .fillColor(MUTED)
      .text(`Chats · page ${index + 1} of ${pages.count}`, PAGE.margin, PAGE.height - PAGE.margin + 16, {
        width: CONTENT_WIDTH,
        align: "center",
        lineBreak: false,
      });
  }
  doc.end();
  return doc;
}
