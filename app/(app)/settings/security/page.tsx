import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { getDb } from "@/db/client";
import { listAuditPage } from "@/lib/audit/list";
import { getCurrentWorkspace, requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Security" };

const labels: Record<string, string> = {
  "auth.sign_in_failed": "Failed sign-in",
  "auth.refresh_token_reused": "Reused API refresh token: session ended",
  "auth.password_reset": "Password reset",
  "platform.connected": "Platform connected",
  "platform.disconnected": "Platform disconnected",
  "security.tokens_reencrypted": "Platform tokens re-encrypted (key rotation)",
};

export default async function SecurityPage() {
  const user = await requireUser("/settings/security");
  const { current } = await getCurrentWorkspace(user.id);
  if (current.role !== "owner") {
    return <p className="text-sm text-slate-600">The security log of {current.name} is visible to its owners.</p>;
  }
  const { events } = await listAuditPage(getDb(), { userId: user.id, workspaceId: current.id, limit: 100 });
  if (events.length === 0) {
    return (
      <EmptyState title="Nothing to report">
        Failed sign-ins of members, reused API tokens, platform connections and key rotations appear here.
      </EmptyState>
    );
  }
  return (
    <section aria-labelledby="audit-heading" className="rounded-xl border border-slate-200 bg-white">
      <h2 id="audit-heading" className="border-b border-slate-100 px-5 py-3 font-semibold">
        Security log
      </h2>
      <ul className="divide-y divide-slate-100">
        {events.map((event) => (
          <li key={event.id} className="grid gap-1 px-5 py-3 text-sm sm:grid-cols-[12rem_1fr]">
            <time dateTime={event.createdAt} className="text-slate-500">
              {new Date(event.createdAt).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" })}
            </time>
            <div>
              <p className="font-medium text-slate-900">{labels[event.action] ?? event.action}</p>
              <p className="text-slate-600">
                {[
                  event.userEmail,
                  event.targetType && event.targetId ? `${event.targetType} ${event.targetId}` : null,
                  event.ip ? `from ${event.ip}` : null,
                ]
                  .filter(Boolean)
                  .join(" · ")}
              </p>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
