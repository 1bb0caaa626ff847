import type { Metadata } from "next";
import Link from "next/link";
import { FormAlert } from "@/components/ui/form-alert";
import { ResetForm } from "./reset-form";

export const metadata: Metadata = { title: "Choose a new password" };

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const token = (await searchParams).token ?? "";
  return (
    <>
      <h1 className="text-xl font-semibold">Choose a new password</h1>
      <div className="mt-6">
        {token ? <ResetForm token={token} /> : <FormAlert message="This page needs the link from your reset mail." />}
      </div>
      <p className="mt-6 text-center text-sm">
        <Link href="/forgot-password" className="text-brand-700 hover:underline">
          Ask for a new link
        </Link>
      </p>
    </>
  );
}
