/**
 * Freshness of the live charts: from a request served by nginx to its point reaching an SSE client of a real
 * Greenlight (`next start`), through the access-log tailer, the per-second rollup flush and the metrics stream.
 * Target: <= 2 s. One request at a time on a quiet stack, so the point that carries it is unambiguous.
 *
 *   npm run bench -- freshness           (FRESHNESS_RUNS=10)
 */
import { startConsole } from "./console";
import { median, printTable } from "./support/stats";

type Arrival = { at: number; slot: string; t: number; rps: number };

/** Reads an SSE response, handing each `data:` message of type "point" to `onPoint` with its arrival time. */
async function readPoints(body: ReadableStream<Uint8Array>, onPoint: (p: Arrival) => void, onWindow: () => void) {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = frame.split("\n").find((l) => l.startsWith("data: "));
      if (!data) continue;
      const message = JSON.parse(data.slice(6)) as { type: string; slot?: string; point?: { t: number; rps: number } };
      if (message.type === "window") onWindow();
      else if (message.type === "point" && message.point)
        onPoint({ at: Date.now(), slot: message.slot!, t: message.point.t, rps: message.point.rps });
    }
  }
}

export default async function freshness(): Promise<void> {
  const runs = Number(process.env.FRESHNESS_RUNS ?? 10);
  const c = await startConsole();
  const controller = new AbortController();
  try {
    const res = await fetch(`${c.url}/api/metrics/${c.stack.service.name}/stream?window=5m`, {
      headers: { cookie: c.cookie },
      signal: controller.signal,
    });
    if (res.status !== 200 || !res.body) throw new Error(`metrics stream answered ${res.status}`);
    const arrivals: Arrival[] = [];
    let windowSeen!: () => void;
    const opened = new Promise<void>((r) => (windowSeen = r));
    const reading = readPoints(
      res.body,
      (p) => arrivals.push(p),
      () => windowSeen(),
    ).catch(() => undefined);
    await opened;

    const rows: string[][] = [];
    const delays: number[] = [];
    for (let i = 0; i < runs; i++) {
      // A random pause, so requests land at every phase of the once-a-second flush.
      await new Promise((r) => setTimeout(r, 2_000 + Math.random() * 1_000));
      const seen = arrivals.length;
      const served = await fetch(`${c.stack.lbUrl}/api/config`).then(
        async (r) => (await r.arrayBuffer(), { status: r.status, at: Date.now() }),
      );
      const second = Math.floor(served.at / 1000);
      const deadline = Date.now() + 10_000;
      let hit: Arrival | undefined;
      while (!hit && Date.now() < deadline) {
        hit = arrivals.slice(seen).find((p) => p.rps > 0 && p.t >= second - 1 && p.t <= second + 1);
        if (!hit) await new Promise((r) => setTimeout(r, 10));
      }
      const delay = hit ? (hit.at - served.at) / 1000 : NaN;
      delays.push(delay);
      rows.push([
        String(i + 1),
        String(served.status),
        hit ? hit.slot : "-",
        hit ? delay.toFixed(3) : "not seen in 10 s",
      ]);
    }
    printTable(["run", "nginx status", "colour", "request served -> point at SSE client (s)"], rows);
    const seenDelays = delays.filter((d) => Number.isFinite(d));
    const missed = runs - seenDelays.length;
    const med = median(seenDelays);
    const max = Math.max(...seenDelays);
    const met = missed === 0 && med <= 2;
    console.log(
      `median ${med.toFixed(3)} s, max ${max.toFixed(3)} s; ${missed} of ${runs} requests never reached the client within 10 s;` +
        ` target median <= 2 s and none missed (${met ? "met" : "missed"})`,
    );
    console.log(`freshness_s=${med.toFixed(3)} max_s=${max.toFixed(3)} missed=${missed}`);
    controller.abort();
    await reading;
  } finally {
    controller.abort();
    await c.stop();
  }
}
