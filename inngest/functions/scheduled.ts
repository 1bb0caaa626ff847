import { cron } from "inngest";
import { schedules } from "@/lib/jobs/schedules";
import { logger } from "@/lib/logger";
import { inngest } from "../client";

// The periodic tasks of lib/jobs/schedules.ts as Inngest crons (the in-process driver runs the
// same list on timers).
export const scheduledFunctions = schedules.map((schedule) =>
  inngest.createFunction(
    { id: `scheduled-${schedule.id}`, triggers: [cron(schedule.cron)], concurrency: [{ limit: 1 }], retries: 2 },
    async ({ step }) =>
      step.run(schedule.id, async () => {
        await schedule.run(logger.child({ scope: `inngest.${schedule.id}` }));
        return { ok: true };
      }),
  ),
);
