import type { Metadata } from "next";
import { WEBHOOK_PAGE_SIZE } from "@/components/webhooks/format";
import { WebhookEvents } from "@/components/webhooks/webhook-events";
import { getDb } from "@/db/client";
import { listPlatformAccountsForUser } from "@/db/queries/platform-accounts";
import { getCurrentWorkspace, requireUser } from "@/lib/auth/session";
import { listWebhookEventPage } from "@/lib/webhooks/events-admin";
import { listWebhookEventsQuery } from "@/lib/validations/webhook-events";

export const metadata: Metadata = { title: "Webhooks" };

const filterSchema = listWebhookEventsQuery.pick({ status: true, platform: true });

export default async function WebhooksPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser("/settings/webhooks");
  const { current } = await getCurrentWorkspace(user.id);
  const params = await searchParams;
  // A filter value that is not one of ours (an edited URL) is dropped, not an error page.
  const status = filterSchema.shape.status.safeParse(params.status).data;
  const platform = filterSchema.shape.platform.safeParse(params.platform).data;
  const db = getDb();
  const [page, accounts] = await Promise.all([
    listWebhookEventPage(db, { userId: user.id, query: { workspaceId: current.id, status, platform, limit: WEBHOOK_PAGE_SIZE } }),
    listPlatformAccountsForUser(db, { userId: user.id, workspaceId: current.id }),
  ]);

  return (
    <WebhookEvents
      key={`${status ?? ""}:${platform ?? ""}`}
      initial={page}
      filters={{ status, platform }}
      canReprocess={current.role !== "agent"}
      hasPlatforms={accounts.some((account) => account.status !== "disconnected")}
    />
  );
}
