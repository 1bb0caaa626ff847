"use client";

import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

// The dashboard failed to load (database unreachable, a bug): say so and offer a retry, never a stack.
export default function DashboardError({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = error instanceof Error && "digest" in error ? String((error as Error & { digest?: string }).digest ?? "") : "";
  return (
    <div role="alert">
      <EmptyState
        title="The dashboard could not load"
        action={
          <Button variant="secondary" onClick={() => retry()}>
            Try again
          </Button>
        }
      >
        Your figures are safe; loading them failed this time.
        {digest ? <span className="mt-1 block text-xs text-slate-400">Reference: {digest}</span> : null}
      </EmptyState>
    </div>
  );
}
