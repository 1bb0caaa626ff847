import { z } from "zod";
import { platformEnum } from "@/db/schema/enums";
import { canonicalTimeZone, isCalendarDate } from "./range";

// Query parameters of /api/analytics/*. Cross-field rules that need the workspace (default time
// zone, default range) are checked in scope.ts once the workspace is known.

const calendarDate = z.string().refine(isCalendarDate, { message: "must be a calendar date written YYYY-MM-DD" });

const timeZone = z.string().transform((value, ctx) => {
  const canonical = canonicalTimeZone(value);
  if (!canonical) {
    ctx.addIssue({ code: "custom", message: "must be an IANA time zone name such as Europe/Berlin" });
    return z.NEVER;
  }
  return canonical;
});

export const analyticsQuerySchema = z.object({
  from: calendarDate.optional(),
  to: calendarDate.optional(),
  tz: timeZone.optional(),
  platform: z.enum(platformEnum.enumValues).optional(),
  workspaceId: z.uuid().optional(),
});

export type AnalyticsQuery = z.output<typeof analyticsQuerySchema>;

export const exportQuerySchema = analyticsQuerySchema.extend({
  format: z.enum(["csv", "pdf"]),
  kind: z.enum(["daily", "messages"]).default("daily"),
  direction: z.enum(["incoming", "outgoing"]).optional(),
});

export type ExportQuery = z.output<typeof exportQuerySchema>;
