import { afterEach, describe, expect, it } from "vitest";
import { ValidationError } from "@/lib/errors";
import { checkHealthOnce, pollHealth, pollInterval } from "./health";
import { startServer } from "./test-servers";

const closers: Array<() => Promise<void>> = [];
const timers: NodeJS.Timeout[] = [];
afterEach(async () => {
  timers.splice(0).forEach(clearTimeout);
  await Promise.all(closers.splice(0).map((c) => c()));
});

async function serve(port: number, ...args: Parameters<typeof startServer> extends [number, infer H] ? [H] : never) {
  const s = await startServer(port, args[0]);
  closers.push(s.close);
  return s;
}

describe("health checks", () => {
  it("a single check reads a dotted version field", async () => {
    await serve(43001, () => ({ status: 200, json: { status: "healthy", build: { version: "2.0.0" } } }));
    const r = await checkHealthOnce({
      url: "http://127.0.0.1:43001/api/health",
      expectedVersion: "2.0.0",
      versionField: "build.version",
    });
    expect(r).toMatchObject({ ok: true, status: 200, version: "2.0.0", body: { status: "healthy" } });
    const viaName = await checkHealthOnce({
      url: "http://localhost:43001/api/health",
      expectedVersion: "2.0.0",
      versionField: "build.version",
    });
    expect(viaName.ok).toBe(true);
  });

  it("fast first polls find a server that starts listening after 300 ms", async () => {
    timers.push(setTimeout(() => void serve(43002, () => ({ status: 200, json: { version: "2.0.0" } })), 300));
    const attempts: Array<{ attempt: number; error?: string }> = [];
    const r = await pollHealth({
      url: "http://127.0.0.1:43002/api/health",
      expectedVersion: "2.0.0",
      deadlineMs: 10_000,
      onAttempt: (a) => attempts.push(a),
    });
    expect(r.ok).toBe(true);
    expect(r.version).toBe("2.0.0");
    expect(r.attempts).toBeGreaterThan(1);
    expect(r.attempts).toBe(attempts.length);
    expect(attempts[0]!.error).toBe("connection refused");
    expect(attempts.at(-1)!.error).toBeUndefined();
  });

  // The deadline leaves a loaded machine time for the first answer: the point is what the reason says once it came.
  it("reports the wrong version it last saw", async () => {
    await serve(43003, () => ({ status: 200, json: { status: "healthy", version: "1.9.0" } }));
    const r = await pollHealth({
      url: "http://127.0.0.1:43003/api/health",
      expectedVersion: "2.0.0",
      deadlineMs: 2000,
    });
    expect(r.ok).toBe(false);
    expect(r.version).toBe("1.9.0");
    expect(r.reason).toMatch(/last: reports version 1\.9\.0, expected 2\.0\.0$/);
  });

  it("reports a 503 and honours the deadline", async () => {
    const s = await serve(43004, () => ({ status: 503, json: { status: "starting" } }));
    const r = await pollHealth({
      url: "http://127.0.0.1:43004/api/health",
      deadlineMs: 1000,
      firstIntervalMs: 50,
      maxIntervalMs: 200,
    });
    expect(r).toMatchObject({ ok: false, status: 503 });
    expect(r.reason).toMatch(/^not healthy within 1000 ms \(\d+ attempts\); last: answered 503$/);
    // Every attempt reached the server, except perhaps the last one, which the deadline may cut before it arrives.
    expect(s.requests.length).toBeLessThanOrEqual(r.attempts);
    expect(s.requests.length).toBeGreaterThanOrEqual(r.attempts - 1);
    expect(r.attempts).toBeGreaterThan(2);
  });

  it("keeps the last answer when the deadline cuts the final request short", async () => {
    let n = 0;
    await serve(43008, () =>
      ++n <= 2
        ? { status: 503, json: { status: "starting" } }
        : { status: 200, json: { version: "2.0.0" }, delayMs: 5000 },
    );
    const r = await pollHealth({
      url: "http://127.0.0.1:43008/api/health",
      deadlineMs: 1500,
      firstIntervalMs: 50,
      requestTimeoutMs: 3000,
    });
    expect(r).toMatchObject({ ok: false, attempts: 3, status: 503 });
    expect(r.reason).toMatch(/^not healthy within 1500 ms \(3 attempts\); last: answered 503$/);
  });

  it("does not wait past the deadline for a server that never answers", async () => {
    await serve(43005, () => ({ status: 200, json: { version: "2.0.0" }, delayMs: 5000 }));
    const r = await pollHealth({ url: "http://127.0.0.1:43005/api/health", deadlineMs: 500, requestTimeoutMs: 3000 });
    expect(r.ok).toBe(false);
    expect(r.attempts).toBe(1);
    const waited = Number(/last: no answer within (\d+) ms$/.exec(r.reason ?? "")?.[1]);
    expect(waited).toBeGreaterThan(0);
    expect(waited).toBeLessThanOrEqual(500);
  });

  it("reports connection refused when nothing listens", async () => {
    const r = await checkHealthOnce({ url: "http://127.0.0.1:43006/api/health" });
    expect(r).toMatchObject({ ok: false, reason: "connection refused" });
  });

  it("stops when cancelled", async () => {
    const controller = new AbortController();
    timers.push(setTimeout(() => controller.abort(), 200));
    const r = await pollHealth({
      url: "http://127.0.0.1:43007/api/health",
      deadlineMs: 30_000,
      firstIntervalMs: 50,
      signal: controller.signal,
    });
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/^cancelled after \d+ attempts; last: connection refused$/);
  });

  it("refuses anything but a loopback http URL before sending a request", async () => {
    for (const url of [
      "http://10.0.0.12:3001/api/health",
      "http://example.com/api/health",
      "https://127.0.0.1/api/health",
      "http://127.0.0.1.nip.io/x",
      "not a url",
    ]) {
      await expect(checkHealthOnce({ url })).rejects.toBeInstanceOf(ValidationError);
      await expect(pollHealth({ url, deadlineMs: 100 })).rejects.toBeInstanceOf(ValidationError);
    }
  });

  // A 30 s deadline the tests never reach: the poll must end on the answers, and say how many it took.
  it("ends after N healthy answers in a row that report another version", async () => {
    const s = await serve(43109, () => ({ status: 200, json: { status: "healthy", version: "1.9.0" } }));
    const r = await pollHealth({
      url: "http://127.0.0.1:43109/api/health",
      expectedVersion: "2.0.5",
      deadlineMs: 30_000,
      firstIntervalMs: 20,
      wrongVersionAfter: 3,
    });
    expect(r).toMatchObject({ ok: false, certain: "wrong_version", attempts: 3, status: 200, version: "1.9.0" });
    expect(r.reason).toBe("reports version 1.9.0, expected 2.0.5 (3 answers, the last 3 alike)");
    expect(r.text).toBe(JSON.stringify({ status: "healthy", version: "1.9.0" }));
    expect(s.requests).toHaveLength(3);
  });

  it("a refusal between wrong-version answers starts the count again", async () => {
    let n = 0;
    const answers = [200, 200, 503, 200, 200, 200];
    await serve(43110, () => ({ status: answers[n++] ?? 200, json: { version: "1.9.0" } }));
    const r = await pollHealth({
      url: "http://127.0.0.1:43110/api/health",
      expectedVersion: "2.0.5",
      deadlineMs: 30_000,
      firstIntervalMs: 20,
      maxIntervalMs: 40,
      wrongVersionAfter: 3,
    });
    expect(r).toMatchObject({ ok: false, certain: "wrong_version", attempts: 6 });
  });

  it("ends after N identical non-2xx answers once the app answers, not while it refuses connections", async () => {
    timers.push(
      setTimeout(
        () =>
          void serve(43111, () => ({
            status: 503,
            json: { status: "unhealthy", reason: "database schema is missing columns: value" },
          })),
        300,
      ),
    );
    const attempts: Array<{ error?: string }> = [];
    const r = await pollHealth({
      url: "http://127.0.0.1:43111/api/health",
      deadlineMs: 30_000,
      firstIntervalMs: 50,
      maxIntervalMs: 100,
      sameStatusAfter: 3,
      onAttempt: (a) => attempts.push(a),
    });
    expect(r).toMatchObject({ ok: false, certain: "same_status", status: 503 });
    expect(r.reason).toMatch(/^answered 503 \(\d+ answers, the last 3 alike\)$/);
    expect(attempts[0]!.error).toBe("connection refused");
    expect(attempts.slice(-3).map((a) => a.error)).toEqual(["answered 503", "answered 503", "answered 503"]);
    expect(r.text).toContain("missing columns: value");
  });

  it("different refusals in a row are not a verdict: the deadline decides", async () => {
    let n = 0;
    await serve(43112, () => ({ status: n++ % 2 === 0 ? 503 : 500 }));
    const r = await pollHealth({
      url: "http://127.0.0.1:43112/api/health",
      deadlineMs: 800,
      firstIntervalMs: 50,
      maxIntervalMs: 100,
      sameStatusAfter: 3,
    });
    expect(r.certain).toBeUndefined();
    expect(r.reason).toMatch(/^not healthy within 800 ms/);
    expect(r.attempts).toBeGreaterThan(3);
  });

  it("backs off after the fast polls, up to the cap", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => pollInterval(n, 100, 5000))).toEqual([
      100, 100, 100, 200, 400, 800, 1600, 3200, 5000, 5000,
    ]);
  });
});
