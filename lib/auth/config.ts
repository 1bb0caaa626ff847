import type { NextAuthConfig } from "next-auth";

// The part of the Auth.js configuration that needs no database or hashing, shared by proxy.ts
// (which only decodes the session cookie) and lib/auth/index.ts (which adds adapter and providers).

/** Pages that need a signed-in user; proxy.ts sends everyone else to /login?next=…. */
export const protectedPrefixes = ["/inbox", "/dashboard", "/settings"];

export const SESSION_MAX_AGE = 30 * 24 * 60 * 60;

declare module "next-auth" {
  interface Session {
    /** When this browser session was established (ms since epoch). */
    authTime?: number;
  }
}

export const authConfig = {
  pages: { signIn: "/login", error: "/login" },
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE },
  // The app may sit behind a proxy; Auth.js then trusts X-Forwarded-Host/Proto for its URLs.
  trustHost: true,
  providers: [],
  callbacks: {
    jwt({ token, user }) {
      if (user?.id) {
        token.uid = user.id;
        token.authTime = Date.now();
      }
      return token;
    },
    session({ session, token }) {
      if (typeof token.uid === "string") session.user.id = token.uid;
      if (typeof token.authTime === "number") session.authTime = token.authTime;
      return session;
    },
  },
} satisfies NextAuthConfig;
