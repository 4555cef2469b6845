"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { auditFromRequest } from "@/lib/audit/from-request";
import { recordAudit } from "@/lib/audit/record";
import { clientIp, SESSION_COOKIE, sessionCookieOptions, wantsSecureCookie } from "@/lib/auth/cookie";
import { login } from "@/lib/auth/login";
import { safeNextPath } from "@/lib/auth/safe-next";
import { getDb } from "@/lib/db/client";
import { AppError, publicMessage } from "@/lib/errors";

export interface SignInState {
  error: string | null;
  username: string;
}

export async function signIn(_previous: SignInState, form: FormData): Promise<SignInState> {
  const username = String(form.get("username") ?? "").slice(0, 64);
  const password = String(form.get("password") ?? "");
  const next = safeNextPath(form.get("next"));
  const requestHeaders = await headers();
  const jar = await cookies();
  const origin = auditFromRequest(requestHeaders);
  const actor = username.trim() || "anonymous";
  try {
    const result = await login(getDb(), {
      username,
      password,
      ip: clientIp(requestHeaders),
      userAgent: requestHeaders.get("user-agent"),
      previousToken: jar.get(SESSION_COOKIE)?.value,
    });
    jar.set(SESSION_COOKIE, result.token, sessionCookieOptions(wantsSecureCookie(requestHeaders)));
    recordAudit(getDb(), { actor: result.user.username, role: result.user.role, action: "auth.login", target: `user:${result.user.username}`, ...origin });
  } catch (error) {
    if (!(error instanceof AppError)) console.error("Sign-in failed unexpectedly", error);
    recordAudit(getDb(), {
      actor,
      action: "auth.login",
      target: `user:${actor}`,
      outcome: error instanceof AppError ? "denied" : "failed",
      reason: publicMessage(error),
      ...origin,
    });
    return { error: publicMessage(error), username };
  }
  redirect(next);
}
