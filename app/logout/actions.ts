"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { SESSION_COOKIE } from "@/lib/auth/cookie";
import { deleteSession } from "@/lib/auth/sessions";
import { getDb } from "@/lib/db/client";

/** Ends this browser's session (server side too) and goes to the sign-in page. */
export async function signOut(): Promise<void> {
  const jar = await cookies();
  deleteSession(getDb(), jar.get(SESSION_COOKIE)?.value);
  jar.delete(SESSION_COOKIE);
  redirect("/login");
}
