import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Inbox" };

export default function InboxPage() {
  return (
    <EmptyState title="Your inbox is empty">
      Conversations from Instagram Direct, Messenger and WhatsApp appear here once a platform is connected and customers write.
    </EmptyState>
  );
}
