import { z } from "zod";

// Emails are compared and stored lower-cased; the unique index is on lower(email) as well.
export const emailSchema = z
  .string({ error: "Enter your email address." })
  .trim()
  .toLowerCase()
  .max(254, "That email address is too long.")
  .pipe(z.email({ error: "Enter a valid email address." }));

export const newPasswordSchema = z
  .string({ error: "Enter a password." })
  .min(8, "Use at least 8 characters.")
  .max(256, "Use at most 256 characters.");

export const registerSchema = z.object({
  email: emailSchema,
  password: newPasswordSchema,
  name: z
    .string({ error: "Enter your name." })
    .trim()
    .min(1, "Enter your name.")
    .max(100, "Use at most 100 characters.")
    .refine((value) => !value.includes("\u0000"), "Your name cannot contain NUL characters."),
});

export const loginSchema = z.object({
  email: emailSchema,
  // Any length: refusing a short password here would tell an attacker about the policy, not the account.
  password: z.string({ error: "Enter your password." }).min(1, "Enter your password.").max(256),
});

export const refreshSchema = z.object({
  refreshToken: z.string({ error: "refreshToken is required." }).min(1).max(200),
});

export const logoutSchema = z.object({
  refreshToken: z.string().min(1).max(200).optional(),
});

export const forgotPasswordSchema = z.object({ email: emailSchema });

export const resetPasswordSchema = z.object({
  token: z.string({ error: "token is required." }).min(1).max(200),
  password: newPasswordSchema,
});

export type RegisterInput = z.output<typeof registerSchema>;
export type LoginInput = z.output<typeof loginSchema>;
