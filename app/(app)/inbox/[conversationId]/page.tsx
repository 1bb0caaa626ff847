import { redirect } from "next/navigation";

// /inbox/{id} is an alias of the canonical deep link /inbox?c={id}.
export default async function ConversationLink({ params }: { params: Promise<{ conversationId: string }> }) {
  const { conversationId } = await params;
  redirect(`/inbox?c=${encodeURIComponent(conversationId)}`);
}
