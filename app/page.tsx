import Link from "next/link";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { listPlatformAccountsForUser } from "@/db/queries/platform-accounts";
import { getCurrentUser, getCurrentWorkspace } from "@/lib/auth/session";

const platforms = [
  { name: "Instagram Direct", detail: "DMs, story replies and mentions" },
  { name: "Facebook Messenger", detail: "Page conversations, quick replies, postbacks" },
  { name: "WhatsApp Business", detail: "Cloud API messages, media and templates" },
];

export default async function HomePage() {
  const user = await getCurrentUser();
  if (user) {
    // Nothing connected yet in this workspace: the first thing to do is connect a platform.
    const { current } = await getCurrentWorkspace(user.id);
    const accounts = await listPlatformAccountsForUser(getDb(), { userId: user.id, workspaceId: current.id });
    redirect(accounts.some((account) => account.status !== "disconnected") ? "/inbox" : "/settings/platforms");
  }
  return (
    <main className="mx-auto flex min-h-screen max-w-5xl flex-col px-6 py-10">
      <header className="flex items-center justify-between">
        <span className="flex items-center gap-2 text-lg font-semibold">
          <img src="/icon.svg" alt="" width={28} height={28} />
          Chats
        </span>
        <nav className="flex gap-3 text-sm">
          <Link href="/login" className="rounded-md px-3 py-2 text-slate-700 hover:bg-slate-100">
            Sign in
          </Link>
          <Link href="/register" className="rounded-md bg-brand-600 px-3 py-2 font-medium text-white hover:bg-brand-700">
            Create account
          </Link>
        </nav>
      </header>
      <section className="mt-20 max-w-2xl">
        <h1 className="text-4xl font-bold tracking-tight text-slate-900 sm:text-5xl">Every customer conversation, one inbox.</h1>
        <p className="mt-5 text-lg text-slate-600">
          Chats brings Instagram Direct, Facebook Messenger and WhatsApp together so your team answers faster, sees what is
          waiting, and never loses a message.
        </p>
      </section>
      <ul className="mt-14 grid gap-4 sm:grid-cols-3">
        {platforms.map((platform) => (
          <li key={platform.name} className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
            <h2 className="font-semibold">{platform.name}</h2>
            <p className="mt-1 text-sm text-slate-600">{platform.detail}</p>
          </li>
        ))}
      </ul>
    </main>
  );
}
