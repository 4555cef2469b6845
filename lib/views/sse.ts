import { logger } from "@/lib/log";
import { AppError, publicMessage } from "@/lib/errors";
import { guardStream, type StreamGuardOptions } from "./stream-guard";

const log = logger("streams");

const encoder = new TextEncoder();

/** What a stream's own code gets: write a frame, report a problem as a `problem` event, and ask whether it closed. */
export type EventStream = {
  write(text: string): void;
  problem(error: unknown, what: string): void;
  closed(): boolean;
};

/**
 * The one Server-Sent Events response every stream route is built on: `retry` first, heartbeat comments that re-run
 * `authorize` and the lifetime cap (./stream-guard), `problem` frames that say only what is safe, and one close
 * that runs the stream's teardown once, whether the client left, the caller's access ended or time ran out.
 * Callers authenticate before calling this, so refusals get a real status code. `open` starts the stream's own
 * frames and returns its teardown.
 */
export function eventStreamResponse(
  { signal, ...guard }: { signal: AbortSignal } & StreamGuardOptions,
  open: (stream: EventStream) => () => void,
): Response {
  let cleanup = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      const stream: EventStream = {
        write: (text) => {
          if (!closed) controller.enqueue(encoder.encode(text));
        },
        problem: (error, what) => {
          if (!(error instanceof AppError)) log.error({ err: error }, what);
          stream.write(`event: problem\ndata: ${JSON.stringify({ error: publicMessage(error) })}\n\n`);
        },
        closed: () => closed,
      };
      stream.write("retry: 2000\n\n");
      const teardown = open(stream);
      const stopGuard = guardStream(guard, stream.write, () => cleanup());
      cleanup = () => {
        if (closed) return;
        closed = true;
        teardown();
        stopGuard();
        try {
          controller.close();
        } catch {
          // Already closed by the client going away.
        }
      };
      signal.addEventListener("abort", cleanup, { once: true });
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
}

export type SseOptions = {
  signal: AbortSignal;
  /** Reads what to send; called at once and after each (debounced) change. */
  snapshot: () => Promise<unknown> | unknown;
  /** Registers a change listener; returns the function that removes it. */
  subscribe: (onChange: () => void) => () => void;
  debounceMs?: number;
} & StreamGuardOptions;

/** A stream of snapshots: a fresh one now and after every change (debounced), one at a time, in order. */
export function sseResponse({ snapshot, subscribe, debounceMs = 100, ...options }: SseOptions): Response {
  return eventStreamResponse(options, (stream) => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let sending = Promise.resolve();
    const send = () => {
      sending = sending.then(async () => {
        if (stream.closed()) return;
        try {
          stream.write(`data: ${JSON.stringify(await snapshot())}\n\n`);
        } catch (error) {
          stream.problem(error, "stream snapshot failed");
        }
      });
    };
    const unsubscribe = subscribe(() => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        send();
      }, debounceMs);
    });
    send();
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  });
}
