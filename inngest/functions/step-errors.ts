import { NonRetriableError, RetryAfterError } from "inngest";
import { isRetryable } from "@/lib/jobs/retry-policy";
import { GraphError } from "@/lib/platforms/meta/graph";

/**
 * Maps a domain failure to how Inngest should retry the step: Meta's rate limits wait minutes,
 * its outages retry with Inngest's backoff, and final refusals stop retrying.
 */
export function asStepError(error: unknown): unknown {
  if (error instanceof GraphError) {
    if (error.kind === "rate_limit") return new RetryAfterError(error.message, "2m", { cause: error });
  }
  if (!isRetryable(error)) return new NonRetriableError((error as Error).message, { cause: error });
  return error;
}

export async function orRetry<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asStepError(error);
  }
}
