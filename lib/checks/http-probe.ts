import http from "node:http";
import { assertLoopbackUrl } from "./loopback";

type ProbeRequest = { url: string; method?: string; body?: unknown; timeoutMs: number; signal?: AbortSignal };
type ProbeAnswer = { ok: true; status: number; text: string; ms: number } | { ok: false; error: string; ms: number };

const MAX_BODY = 256 * 1024;

/**
 * One HTTP request on a fresh connection (no keep-alive pool, so a stopped slot is never
 * "reached" through a stale socket). Never throws for network trouble: it says what happened.
 */
export function probe({ url, method = "GET", body, timeoutMs, signal }: ProbeRequest): Promise<ProbeAnswer> {
  const target = assertLoopbackUrl(url);
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (answer: ProbeAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      req.destroy();
      resolve(answer);
    };
    const headers: Record<string, string | number> = { accept: "application/json", connection: "close" };
    if (payload) Object.assign(headers, { "content-type": "application/json", "content-length": payload.length });
    const req = http.request(target, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        if (size < MAX_BODY) chunks.push(chunk);
        size += chunk.length;
      });
      res.on("end", () =>
        finish({ ok: true, status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8"), ms: elapsed() }),
      );
      res.on("error", (error) => finish({ ok: false, error: describeError(error), ms: elapsed() }));
    });
    req.on("error", (error) => finish({ ok: false, error: describeError(error), ms: elapsed() }));
    const timer = setTimeout(
      () => finish({ ok: false, error: `no answer within ${timeoutMs} ms`, ms: elapsed() }),
      timeoutMs,
    );
    const onAbort = () => finish({ ok: false, error: "cancelled", ms: elapsed() });
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    req.end(payload);
  });
}

function describeError(error: Error & { code?: string }): string {
  switch (error.code) {
    case "ECONNREFUSED":
      return "connection refused";
    case "ECONNRESET":
      return "connection reset";
    case "EPIPE":
      return "connection closed while sending";
    default:
      return error.code ? `${error.code}: ${error.message}` : error.message;
  }
}
