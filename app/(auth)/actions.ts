"use server";

import { AuthError, CredentialsSignin } from "next-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { z } from "zod";
import { getDb } from "@/db/client";
import { signIn, signOut } from "@/lib/auth";
import { registerUser } from "@/lib/auth/accounts";
import { requestPasswordReset, resetPassword } from "@/lib/auth/password-reset";
import { safeNextPath } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { clientIp, enforceRateLimits, rateRules } from "@/lib/rate-limit";
import { forgotPasswordSchema, loginSchema, registerSchema, resetPasswordSchema } from "@/lib/validations/auth";

export interface FormState {
  error?: string;
  fieldErrors?: Record<string, string>;
  values?: Record<string, string>;
  done?: boolean;
}

function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form");
    fields[key] ??= issue.message;
  }
  return fields;
}

const text = (formData: FormData, key: string) => {
  const value = formData.get(key);
  return typeof value === "string" ? value : "";
};

function rateLimitMessage(error: unknown): string | undefined {
  return error instanceof AppError && error.code === "rate_limited" ? error.message : undefined;
}

export async function loginAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const values = { email: text(formData, "email") };
  const parsed = loginSchema.safeParse({ email: text(formData, "email"), password: text(formData, "password") });
  if (!parsed.success) return { fieldErrors: fieldErrorsOf(parsed.error), values };
  try {
    await signIn("credentials", { ...parsed.data, redirectTo: safeNextPath(text(formData, "next")) });
  } catch (error) {
    if (error instanceof CredentialsSignin) {
      return {
        error:
          error.code === "rate_limited"
            ? "Too many sign-in attempts. Wait a few minutes and try again."
            : "The email or password is incorrect.",
        values,
      };
    }
    if (error instanceof AuthError) return { error: "Sign-in failed. Try again.", values };
    throw error; // Next's redirect after a successful sign-in travels as an exception.
  }
  return { values };
}

export async function registerAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const values = { email: text(formData, "email"), name: text(formData, "name") };
  const parsed = registerSchema.safeParse({ email: values.email, name: values.name, password: text(formData, "password") });
  if (!parsed.success) return { fieldErrors: fieldErrorsOf(parsed.error), values };
  const db = getDb();
  try {
    await enforceRateLimits(db, [
      { rule: rateRules.registerPerIp, subject: clientIp(await headers()) },
      { rule: rateRules.registerPerEmail, subject: parsed.data.email },
    ]);
    await registerUser(db, parsed.data);
  } catch (error) {
    if (error instanceof AppError && error.code === "email_taken") {
      return { fieldErrors: { email: "An account with this email already exists. Sign in instead?" }, values };
    }
    const limited = rateLimitMessage(error);
    if (limited) return { error: limited, values };
    throw error;
  }
  await signIn("credentials", {
    email: parsed.data.email,
    password: parsed.data.password,
    redirectTo: safeNextPath(text(formData, "next")),
  });
  return { values };
}

export async function forgotPasswordAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const values = { email: text(formData, "email") };
  const parsed = forgotPasswordSchema.safeParse(values);
  if (!parsed.success) return { fieldErrors: fieldErrorsOf(parsed.error), values };
  const db = getDb();
  try {
    await enforceRateLimits(db, [
      { rule: rateRules.forgotPerIp, subject: clientIp(await headers()) },
      { rule: rateRules.forgotPerEmail, subject: parsed.data.email },
    ]);
  } catch (error) {
    const limited = rateLimitMessage(error);
    if (limited) return { error: limited, values };
    throw error;
  }
  try {
    await requestPasswordReset(db, parsed.data);
  } catch (error) {
    logger.error({ err: error, scope: "auth.forgot" }, "password reset mail failed");
  }
  return { done: true, values };
}

export async function resetPasswordAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const parsed = resetPasswordSchema.safeParse({ token: text(formData, "token"), password: text(formData, "password") });
  if (!parsed.success) return { fieldErrors: fieldErrorsOf(parsed.error) };
  try {
    await resetPassword(getDb(), parsed.data);
  } catch (error) {
    if (error instanceof AppError && error.code === "invalid_token") return { error: error.message };
    throw error;
  }
  redirect("/login?reset=1");
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/login" });
}

export async function facebookSignInAction(formData: FormData): Promise<void> {
  await signIn("facebook", { redirectTo: safeNextPath(text(formData, "next")) });
}
