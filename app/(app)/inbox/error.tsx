"use client";

import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

export default function InboxError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert">
      <EmptyState title="The inbox could not be loaded" action={<Button onClick={reset}>Try again</Button>}>
        Something went wrong while loading your conversations. Your messages are safe; try again in a moment.
      </EmptyState>
    </div>
  );
}
