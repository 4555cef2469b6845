import { rawRequest, type RawReply } from "./requests";

/**
 * The sign-in form posted the way React's client does (its fields under `_1_`, referenced as `$K1`), through
 * node:http so the test can pick the address it comes from. The state the action returns is in `error`.
 */
export async function signInRaw(
  base: string,
  actionId: string,
  fields: { username: string; password: string; next?: string },
  opts: { headers?: Record<string, string>; localAddress?: string } = {},
): Promise<RawReply & { error: string | null; redirect: string | null; cookie: string | null }> {
  const form = new FormData();
  form.append("_1_username", fields.username);
  form.append("_1_password", fields.password);
  if (fields.next !== undefined) form.append("_1_next", fields.next);
  form.append("0", JSON.stringify([{ error: null, username: "" }, "$K1"]));
  const encoded = new Response(form);
  const body = await encoded.text();
  const reply = await rawRequest(`${base}/login`, {
    method: "POST",
    headers: {
      "next-action": actionId,
      accept: "text/x-component",
      origin: base,
      "content-type": encoded.headers.get("content-type")!,
      ...opts.headers,
    },
    body,
    localAddress: opts.localAddress,
  });
  const state = /^[0-9a-f]+:(\{"error".*\})$/m.exec(reply.body)?.[1];
  const cookie =
    ([] as string[]).concat(reply.headers["set-cookie"] ?? []).find((c) => c.startsWith("greenlight_session=")) ?? null;
  const redirect = reply.headers["x-action-redirect"];
  return {
    ...reply,
    error: state ? ((JSON.parse(state) as { error: string | null }).error ?? null) : null,
    redirect: typeof redirect === "string" ? redirect : null,
    cookie,
  };
}
