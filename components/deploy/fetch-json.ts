/**
 * GETs JSON from one of Greenlight's routes. Every route answers an error as `{ error: { code, message } }`
 * (lib/http/respond.ts): its message becomes the thrown error's message.
 */
export async function fetchJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { accept: "application/json" }, cache: "no-store" });
  const body = (await res.json().catch(() => null)) as (T & { error?: { message?: string } }) | null;
  if (!res.ok) throw new Error(body?.error?.message ?? `The server answered ${res.status}`);
  if (body === null) throw new Error("The server sent an empty answer");
  return body;
}
