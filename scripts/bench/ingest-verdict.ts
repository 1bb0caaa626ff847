// Whether an ingest step held, and what the run sustained: pure rules, so the table cannot
// flatter a run (a step that lost one event, or only kept up by letting work pile up, does not count).

export interface StoredCheck {
  /** Rows found for the step (messages for the app, webhook_events for the baseline). */
  total: number;
  /** Distinct load-message numbers among them within 1..sent. */
  distinct: number;
  /** Rows whose number is outside 1..sent (from another step: never expected). */
  stray: number;
  /** Epoch ms when the last of them was stored. */
  lastStoredAt: number | null;
  /** Webhook events of the step not processed successfully (app only). */
  unprocessed: number;
}

export interface StepOutcome {
  rate: number;
  sent: number;
  acked: number;
  stored: number;
  missing: number;
  duplicates: number;
  /** Events per second from the first POST until the last event was stored. */
  achievedPerSecond: number;
  ok: boolean;
  reason: string | null;
}

/**
 * A step holds when every POST was acknowledged, every event is stored exactly once (numbers 1..sent,
 * each once, nothing else), nothing is left unprocessed, and the end-to-end rate kept up with the offered one.
 */
export function judgeStep(
  step: { rate: number; sent: number; acked: number; startedAt: number },
  stored: StoredCheck,
  keepUp: number,
): StepOutcome {
  const duplicates = stored.total - stored.distinct - stored.stray;
  const missing = step.sent - stored.distinct;
  const elapsedMs = stored.lastStoredAt === null ? Number.POSITIVE_INFINITY : Math.max(1, stored.lastStoredAt - step.startedAt);
  const achievedPerSecond = Math.round((stored.distinct / elapsedMs) * 1000 * 10) / 10;
  let reason: string | null = null;
  if (step.acked < step.sent) reason = `${step.sent - step.acked} of ${step.sent} POSTs not acknowledged`;
  // For the app: acknowledged (so stored as webhook events) but not yet in the inbox when the drain wait ended.
  else if (missing > 0) reason = `${missing} events not in the inbox by the end of the drain wait`;
  else if (duplicates > 0) reason = `${duplicates} events stored twice`;
  else if (stored.stray > 0) reason = `${stored.stray} rows from outside the step`;
  else if (stored.unprocessed > 0) reason = `${stored.unprocessed} events left unprocessed`;
  else if (achievedPerSecond < keepUp * step.rate)
    reason = `fell behind: ${achievedPerSecond}/s end to end for ${step.rate}/s offered`;
  return {
    rate: step.rate,
    sent: step.sent,
    acked: step.acked,
    stored: stored.total,
    missing,
    duplicates,
    achievedPerSecond,
    ok: reason === null,
    reason,
  };
}

/** The highest end-to-end rate among steps that held (0 when none did). */
export function sustainedRate(steps: readonly StepOutcome[]): number {
  return steps.filter((step) => step.ok).reduce((best, step) => Math.max(best, step.achievedPerSecond), 0);
}
