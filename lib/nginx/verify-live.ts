import http from "node:http";
import https from "node:https";

export type VerifyInput = {
  lbUrl: string;
  healthPath: string;
  versionField: string;
  expectedVersion: string;
  expectedPort?: number;
  deadlineMs: number;
  intervalMs?: number;
  /** The Host a user's request carries for a service routed by host name (fetch cannot send one). */
  hostHeader?: string;
  /** Consecutive matching answers required; old workers may still answer right after a reload. */
  requiredSuccesses?: number;
};

export type VerifyResult = {
  ok: boolean;
  attempts: number;
  elapsedMs: number;
  lastStatus?: number;
  lastVersion?: string;
  lastUpstream?: string;
  lastError?: string;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Reads a possibly dotted field (`build.version`) from a parsed JSON body. */
export function readField(body: unknown, field: string): string | undefined {
  let value: unknown = body;
  for (const key of field.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
}

type Answer = { status: number; upstream: string | null; text: string };

/** One GET on a fresh connection, with the Host header when given; bodies are capped at 256 KiB. */
function get(url: string, headers: Record<string, string>, timeoutMs: number): Promise<Answer> {
  const target = new URL(url);
  const client = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      target,
      { method: "GET", headers: { ...headers, connection: "close" }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          if (size < 256 * 1024) chunks.push(chunk);
          size += chunk.length;
        });
        res.on("end", () => {
          const upstream = res.headers["x-greenlight-upstream"];
          resolve({
            status: res.statusCode ?? 0,
            upstream: Array.isArray(upstream) ? upstream.join(", ") : (upstream ?? null),
            text: Buffer.concat(chunks).toString("utf8"),
          });
        });
        res.on("error", reject);
        res.on("close", () => {
          if (!res.complete)
            reject(
              Object.assign(new Error("the connection closed before the answer was complete"), { name: "AbortError" }),
            );
        });
      },
    );
    // The whole exchange is bounded, not only each silence on the socket.
    const timer = setTimeout(
      () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { name: "TimeoutError" })),
      timeoutMs,
    );
    req.on("close", () => clearTimeout(timer));
    req.on("error", reject);
    req.end();
  });
}

/** nginx lists every upstream it tried (`a:1, b:2`); the last one answered. */
function answeringUpstream(header: string | null): string | undefined {
  return (
    header
      ?.split(/[,:]\s+/)
      .at(-1)
      ?.trim() || undefined
  );
}

/**
 * Probes the health endpoint through nginx until it reports the expected version (and, when nginx
 * says which upstream answered, that upstream is the expected port) several times in a row, or the
 * deadline passes. Never trusts the reload's exit code alone.
 */
export async function verifyThroughNginx(input: VerifyInput): Promise<VerifyResult> {
  const url = input.lbUrl.replace(/\/+$/, "") + input.healthPath;
  const interval = input.intervalMs ?? 100;
  const required = input.requiredSuccesses ?? 3;
  const headers: Record<string, string> = { accept: "application/json" };
  if (input.hostHeader) headers.host = input.hostHeader;
  const started = performance.now();
  const result: VerifyResult = { ok: false, attempts: 0, elapsedMs: 0 };
  let streak = 0;

  while (performance.now() - started < input.deadlineMs) {
    const remaining = input.deadlineMs - (performance.now() - started);
    result.attempts += 1;
    let matched = false;
    try {
      const response = await get(url, headers, Math.floor(Math.max(50, Math.min(2000, remaining))));
      result.lastStatus = response.status;
      result.lastUpstream = answeringUpstream(response.upstream);
      const text = response.text;
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined; // a non-JSON answer reports no version
      }
      result.lastVersion = readField(body, input.versionField);
      delete result.lastError;
      const portOk =
        input.expectedPort === undefined ||
        result.lastUpstream === undefined ||
        result.lastUpstream.endsWith(`:${input.expectedPort}`);
      matched = response.status === 200 && result.lastVersion === input.expectedVersion && portOk;
    } catch (error) {
      result.lastError = error instanceof Error ? error.name + ": " + error.message : String(error);
    }
    streak = matched ? streak + 1 : 0;
    if (streak >= required) {
      result.ok = true;
      break;
    }
    // A match is followed at once by the next probe on a fresh connection (another worker may take it); a miss waits.
    const wait = matched ? 0 : interval;
    if (performance.now() - started + wait >= input.deadlineMs) break;
    await sleep(wait);
  }
  result.elapsedMs = performance.now() - started;
  return result;
}
