import http from "node:http";

export type ActionReply = { status: number; contentType: string; text: string; result: Record<string, unknown> | null };

/**
 * The action's return value in an RSC reply (`text/x-component`): rows look like `1:{"ok":false,...}`; the one that
 * carries `ok` (or `error`, for form state) is the action's result (row 0 is the page tree or the action id row).
 */
export function actionResult(text: string): Record<string, unknown> | null {
  for (const line of text.split("\n")) {
    const m = /^[0-9a-f]+:(\{.*\})$/.exec(line.trim());
    if (!m) continue;
    try {
      const value = JSON.parse(m[1]!) as Record<string, unknown>;
      // safe-action results carry `ok`; the sign-in form's state carries `error`.
      if ("ok" in value || "error" in value) return value;
    } catch {
      // not a JSON row (e.g. an HTML chunk); the next row may be the result
    }
  }
  return null;
}

/** Calls a server action the way React's client does (`Next-Action` header, JSON-encoded arguments). */
export async function callAction(
  base: string,
  page: string,
  id: string,
  opts: { cookie?: string; origin?: string; body?: string | FormData; headers?: Record<string, string> } = {},
): Promise<ActionReply> {
  const headers: Record<string, string> = {
    "next-action": id,
    accept: "text/x-component",
    origin: opts.origin ?? base,
    ...(opts.cookie ? { cookie: opts.cookie } : {}),
    ...opts.headers,
  };
  const body = opts.body ?? "[{}]";
  if (typeof body === "string") headers["content-type"] = "text/plain;charset=UTF-8";
  const res = await fetch(`${base}${page}`, {
    method: "POST",
    headers,
    body,
    redirect: "manual",
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get("content-type") ?? "", text, result: actionResult(text) };
}

export type RawReply = {
  status: number;
  contentType: string;
  location: string | null;
  body: string;
  headers: http.IncomingHttpHeaders;
};

/**
 * A request through node:http, which (unlike fetch) lets the test set Host and read only the head of a stream:
 * the body is read for at most `readMs`, then the socket is dropped. `localAddress` (e.g. 127.0.0.2) makes the request come
 * from another loopback address, as a client that is not the trusted proxy.
 */
export function rawRequest(
  url: string,
  opts: {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    readMs?: number;
    localAddress?: string;
  } = {},
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const headers = {
      ...opts.headers,
      ...(opts.body !== undefined ? { "content-length": String(Buffer.byteLength(opts.body)) } : {}),
    };
    const req = http.request(url, { method: opts.method ?? "GET", headers, localAddress: opts.localAddress }, (res) => {
      let body = "";
      const done = () => {
        clearTimeout(timer);
        res.destroy();
        resolve({
          status: res.statusCode ?? 0,
          contentType: String(res.headers["content-type"] ?? ""),
          location: res.headers.location ?? null,
          body,
          headers: res.headers,
        });
      };
      const timer = setTimeout(done, opts.readMs ?? 5000);
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", done);
      res.on("error", done);
    });
    req.setTimeout(30_000, () => req.destroy(new Error(`no answer from ${url}`)));
    req.on("error", reject);
    req.end(opts.body);
  });
}
