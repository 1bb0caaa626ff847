import { NextResponse, type NextRequest } from "next/server";
import { protectedPrefixes } from "@/lib/auth/config";
import { decodeSessionCookie } from "@/lib/auth/session-cookie";

// Decodes the session cookie only (no database): signed-out visitors of app pages go to
// /login?next=… and come back after signing in. Pages still check the user against the database.
export default async function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  const isProtected = protectedPrefixes.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
  if (isProtected && !(await decodeSessionCookie(req.headers.get("cookie")))) {
    const login = new URL("/login", req.nextUrl);
    login.searchParams.set("next", `${pathname}${search}`);
    return NextResponse.redirect(login);
  }
  return NextResponse.next();
}

export const config = {
  matcher: ["/inbox/:path*", "/dashboard/:path*", "/settings/:path*"],
};
