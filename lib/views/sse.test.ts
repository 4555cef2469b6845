import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { sseResponse } from "./sse";

async function readUntil(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  done: (text: string) => boolean,
  soFar = "",
): Promise<string> {
  let text = soFar;
  while (!done(text)) {
    const chunk = await reader.read();
    if (chunk.done) break;
    text += new TextDecoder().decode(chunk.value);
  }
  return text;
}

const dataLines = (text: string) => text.split("\n").filter((l) => l.startsWith("data: "));

describe("sseResponse", () => {
  it("sends a snapshot at once, one more per burst of changes, heartbeats, and unsubscribes on abort", async () => {
    const bus = new EventEmitter();
    const controller = new AbortController();
    let reads = 0;
    const res = sseResponse({
      signal: controller.signal,
      snapshot: () => ({ n: ++reads }),
      subscribe: (onChange) => {
        bus.on("change", onChange);
        return () => bus.off("change", onChange);
      },
      debounceMs: 20,
      heartbeatMs: 30,
    });
    expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const reader = res.body!.getReader();
    let text = await readUntil(reader, (t) => dataLines(t).length >= 1);
    expect(text.startsWith("retry: 2000\n\n")).toBe(true);
    expect(dataLines(text)).toEqual(['data: {"n":1}']);

    for (let i = 0; i < 5; i++) bus.emit("change");
    text = await readUntil(reader, (t) => dataLines(t).length >= 2, text);
    expect(dataLines(text)).toEqual(['data: {"n":1}', 'data: {"n":2}']);

    text = await readUntil(reader, (t) => t.includes(": heartbeat"), text);
    expect(bus.listenerCount("change")).toBe(1);
    controller.abort();
    expect(bus.listenerCount("change")).toBe(0);
    expect((await reader.read()).done).toBe(true);
    expect(reads).toBe(2);
  });

  it("reports a failed snapshot as a problem event with a safe message and keeps the stream open", async () => {
    const controller = new AbortController();
    const res = sseResponse({
      signal: controller.signal,
      snapshot: () => {
        throw new Error("disk path /secret/x exploded");
      },
      subscribe: () => () => {},
    });
    const reader = res.body!.getReader();
    const text = await readUntil(reader, (t) => t.includes("event: problem"));
    expect(text).toContain('"error":"Something went wrong; the details are in the server log."');
    expect(text).not.toContain("/secret/x");
    controller.abort();
  });
});
