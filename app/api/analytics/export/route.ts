import { Readable } from "node:stream";
import { getDb } from "@/db/client";
import { withRoute } from "@/lib/api/with-route";
import { readQuery } from "@/lib/api/input";
import { dailyCsv, exportFilename, messagesCsv } from "@/lib/analytics/csv";
import { exportQuerySchema } from "@/lib/analytics/params";
import { renderReportPdf } from "@/lib/analytics/pdf";
import { buildReport } from "@/lib/analytics/report";
import { resolveAnalyticsScope } from "@/lib/analytics/scope";

// GET /api/analytics/export?format=csv|pdf – a streamed download: daily figures or messages (CSV), or the report (PDF)
export const GET = withRoute({ auth: "required", scope: "analytics.export" }, async ({ req, user }) => {
  const db = getDb();
  const query = readQuery(req, exportQuerySchema);
  const scope = await resolveAnalyticsScope(db, { userId: user.id, query });
  if (query.format === "pdf") {
    const pdf = renderReportPdf(await buildReport(db, scope));
    return download(Readable.toWeb(pdf) as ReadableStream<Uint8Array>, "application/pdf", exportFilename("report", scope, "pdf"));
  }
  const body = query.kind === "messages" ? messagesCsv(db, scope, { direction: query.direction }) : dailyCsv(db, scope);
  return download(body, "text/csv; charset=utf-8", exportFilename(query.kind, scope, "csv"));
});

function download(body: ReadableStream<Uint8Array>, contentType: string, filename: string): Response {
  return new Response(body, {
    headers: {
      "content-type": contentType,
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
