import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { FormAlert } from "@/components/ui/form-alert";
import { getCurrentUser, safeNextPath } from "@/lib/auth/session";
import { FacebookButton } from "../facebook-button";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };

const oauthErrors: Record<string, string> = {
  OAuthAccountNotLinked: "This email already has a Chats password. Sign in with it; Facebook can be linked afterwards.",
  AccessDenied: "Facebook sign-in was cancelled.",
  OAuthCallbackError: "Facebook sign-in failed. Try again.",
  Configuration: "Sign-in is not available right now. Try again later.",
};

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  const next = safeNextPath(params.next);
  if (await getCurrentUser()) redirect(next);
  return (
    <>
      <h1 className="text-xl font-semibold">Sign in to Chats</h1>
      <p className="mt-1 text-sm text-slate-600">Welcome back.</p>
      <div className="mt-6 space-y-4">
        {params.reset ? <FormAlert tone="success" message="Your password was changed. Sign in with the new one." /> : null}
        {params.error ? <FormAlert message={oauthErrors[params.error] ?? "Sign-in failed. Try again."} /> : null}
        <LoginForm next={next} />
        <div className="flex items-center gap-3 text-xs text-slate-400" aria-hidden>
          <span className="h-px flex-1 bg-slate-200" /> or <span className="h-px flex-1 bg-slate-200" />
        </div>
        <FacebookButton next={next} />
      </div>
      <p className="mt-6 text-center text-sm text-slate-600">
        New to Chats?{" "}
        <Link
          href={`/register${next !== "/inbox" ? `?next=${encodeURIComponent(next)}` : ""}`}
          className="font-medium text-brand-700 hover:underline"
        >
          Create an account
        </Link>
      </p>
    </>
  );
}
