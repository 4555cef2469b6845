import { AppError, publicMessage } from "@/lib/errors";
import { guardStream, type StreamGuardOptions } from "./stream-guard";

const encoder = new TextEncoder();

export type SseOptions = {
  signal: AbortSignal;
  /** Reads what to send; called at once and after each (debounced) change. */
  snapshot: () => Promise<unknown> | unknown;
  /** Registers a change listener; returns the function that removes it. */
  subscribe: (onChange: () => void) => () => void;
  debounceMs?: number;
} & StreamGuardOptions;

/**
 * A Server-Sent Events response that sends a fresh snapshot now and after every change, with heartbeat comments
 * so proxies keep the connection. Callers authenticate before calling this, so refusals get a real status code, and
 * pass the same check as `authorize`, which each heartbeat runs again (see ./stream-guard).
 */
export function sseResponse({ signal, snapshot, subscribe, debounceMs = 100, ...guard }: SseOptions): Response {
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      let timer: ReturnType<typeof setTimeout> | null = null;
      let sending = Promise.resolve();
      const write = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      const send = () => {
        sending = sending.then(async () => {
          if (closed) return;
          try {
            write(`data: ${JSON.stringify(await snapshot())}\n\n`);
          } catch (error) {
            if (!(error instanceof AppError)) console.error("[greenlight] stream snapshot failed", error);
            write(`event: problem\ndata: ${JSON.stringify({ error: publicMessage(error) })}\n\n`);
          }
        });
      };
      const onChange = () => {
        if (timer) return;
        timer = setTimeout(() => {
          timer = null;
          send();
        }, debounceMs);
      };
      const unsubscribe = subscribe(onChange);
      const stopGuard = guardStream(guard, write, () => cleanup());
      cleanup = () => {
        if (closed) return;
        closed = true;
        unsubscribe();
        stopGuard();
        if (timer) clearTimeout(timer);
        try {
          controller.close();
        } catch {
          // Already closed by the client going away.
        }
      };
      signal.addEventListener("abort", cleanup, { once: true });
      write("retry: 2000\n\n");
      send();
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
}
