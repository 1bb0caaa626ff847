"use client";

import type { ReactNode } from "react";
import { useFormStatus } from "react-dom";
import { Button } from "./button";

/** A form's submit button that shows its pending state and cannot be pressed twice. */
export function SubmitButton({
  children,
  pendingLabel,
  className = "",
  variant,
}: {
  children: ReactNode;
  pendingLabel: string;
  className?: string;
  variant?: "primary" | "secondary" | "danger";
}) {
  const { pending } = useFormStatus();
  return (
    <Button type="submit" disabled={pending} aria-disabled={pending} className={className} variant={variant}>
      {pending ? (
        <>
          <span aria-hidden className="size-3.5 animate-spin rounded-full border-2 border-current border-r-transparent" />
          {pendingLabel}
        </>
      ) : (
        children
      )}
    </Button>
  );
}
