import { getToken, type JWT } from "next-auth/jwt";
import { env } from "@/lib/env";

// Decodes the Auth.js session cookie without touching the database, for proxy.ts and the route
// wrapper. The __Secure- name is what Auth.js uses behind https.
const SESSION_COOKIES = ["__Secure-authjs.session-token", "authjs.session-token"] as const;

export interface SessionClaims {
  userId: string;
  /** When the session was established (ms since epoch). */
  authTime: number | undefined;
}

export async function decodeSessionCookie(cookieHeader: string | null): Promise<SessionClaims | null> {
  if (!cookieHeader) return null;
  for (const cookieName of SESSION_COOKIES) {
    if (!cookieHeader.includes(`${cookieName}=`) && !cookieHeader.includes(`${cookieName}.0=`)) continue;
    const token: JWT | null = await getToken({
      req: { headers: { cookie: cookieHeader } },
      secret: env.AUTH_SECRET,
      cookieName,
      salt: cookieName,
      secureCookie: cookieName.startsWith("__Secure-"),
    });
    if (typeof token?.uid === "string") {
      return { userId: token.uid, authTime: typeof token.authTime === "number" ? token.authTime : undefined };
    }
  }
  return null;
}

export const sessionCookieNames = SESSION_COOKIES;
