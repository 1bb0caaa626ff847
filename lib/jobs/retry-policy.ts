import { AppError } from "@/lib/errors";
import { GraphError } from "@/lib/platforms/meta/graph";

/**
 * Whether a failed job is worth another attempt, for both job drivers: Meta's transient errors and
 * unexpected failures (a lost connection) are; Meta's refusals and our own 4xx verdicts (an account
 * that is no longer connected) are not.
 */
export function isRetryable(error: unknown): boolean {
  if (error instanceof GraphError) return error.transient;
  if (error instanceof AppError) return error.status >= 500;
  return true;
}
