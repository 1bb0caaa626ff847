import { NonRetriableError, RetryAfterError } from "inngest";
import { AppError } from "@/lib/errors";
import { GraphError } from "@/lib/platforms/meta/graph";

/**
 * Maps a domain failure to how Inngest should retry the step: Meta's rate limits wait minutes,
 * its outages retry with Inngest's backoff, and final refusals stop retrying.
 */
export function asStepError(error: unknown): unknown {
  if (error instanceof GraphError) {
    if (error.kind === "rate_limit") return new RetryAfterError(error.message, "2m", { cause: error });
    if (!error.transient) return new NonRetriableError(error.message, { cause: error });
  }
  if (error instanceof AppError && error.status < 500) return new NonRetriableError(error.message, { cause: error });
  return error;
}

export async function orRetry<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asStepError(error);
  }
}
