import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Dashboard" };

export default function DashboardPage() {
  return (
    <EmptyState title="No activity yet">
      Volumes per platform and your team&apos;s response times appear here as conversations come in.
    </EmptyState>
  );
}
