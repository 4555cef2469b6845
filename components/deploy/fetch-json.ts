/** GETs JSON from one of Greenlight's routes; the server's error message becomes the thrown error's message. */
export async function fetchJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { accept: "application/json" }, cache: "no-store" });
  const body = (await res.json().catch(() => null)) as (T & { error?: string }) | null;
  if (!res.ok) throw new Error(body?.error ?? `The server answered ${res.status}`);
  if (body === null) throw new Error("The server sent an empty answer");
  return body;
}
