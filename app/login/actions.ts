"use server";

import { logger } from "@/lib/log";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { auditFromRequest } from "@/lib/audit/from-request";
import { clientAddress } from "@/lib/auth/client-address";
import { SESSION_COOKIE, sessionCookieOptions, wantsSecureCookie } from "@/lib/auth/cookie";
import { login } from "@/lib/auth/login";
import { auditLogin } from "@/lib/auth/record-login";
import { safeNextPath } from "@/lib/auth/safe-next";
import { getDb } from "@/lib/db/client";
import { AppError, publicMessage } from "@/lib/errors";

const log = logger("auth");

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
  try {
    const result = await login(getDb(), {
      username,
      password,
      ip: clientAddress(requestHeaders),
      userAgent: requestHeaders.get("user-agent"),
      previousToken: jar.get(SESSION_COOKIE)?.value,
    });
    jar.set(SESSION_COOKIE, result.token, sessionCookieOptions(wantsSecureCookie(requestHeaders)));
    auditLogin(getDb(), { typed: username, user: result.user, origin });
  } catch (error) {
    if (!(error instanceof AppError)) log.error({ err: error }, "sign-in failed unexpectedly");
    auditLogin(getDb(), { typed: username, error, origin });
    return { error: publicMessage(error), username };
  }
  redirect(next);
}
