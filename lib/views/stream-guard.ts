import { publicMessage } from "@/lib/errors";

export type StreamGuardOptions = {
  /** Throws (UnauthorizedError, ForbiddenError...) once the caller may no longer see the stream; run on each heartbeat. */
  authorize?: () => unknown;
  heartbeatMs?: number;
  /** A stream closes after this long whatever happens; the client reconnects and is authenticated again. */
  maxLifetimeMs?: number;
};

const number = (value: string | undefined, fallback: number) => {
  const n = Number(value);
  return value && Number.isFinite(n) && n > 0 ? n : fallback;
};

/** Heartbeat and lifetime of every stream: GREENLIGHT_STREAM_HEARTBEAT_MS (15 s) and GREENLIGHT_STREAM_MAX_MS (1 h). */
export function streamLimits(env: Record<string, string | undefined> = process.env): {
  heartbeatMs: number;
  maxLifetimeMs: number;
} {
  return {
    heartbeatMs: number(env.GREENLIGHT_STREAM_HEARTBEAT_MS, 15_000),
    maxLifetimeMs: number(env.GREENLIGHT_STREAM_MAX_MS, 60 * 60_000),
  };
}

const frame = (event: string, error: string) => `event: ${event}\ndata: ${JSON.stringify({ error })}\n\n`;

/**
 * Heartbeats that re-check the caller (signed out, disabled, demoted or a revoked token: `access-ended`, then the
 * stream closes) and a lifetime cap (`expired`, then it closes). Returns the function that stops both timers.
 */
export function guardStream(opts: StreamGuardOptions, write: (text: string) => void, close: () => void): () => void {
  const limits = streamLimits();
  const heartbeat = setInterval(() => {
    if (opts.authorize) {
      try {
        opts.authorize();
      } catch (error) {
        write(frame("access-ended", publicMessage(error)));
        close();
        return;
      }
    }
    write(`: heartbeat ${Date.now()}\n\n`);
  }, opts.heartbeatMs ?? limits.heartbeatMs);
  const lifetime = setTimeout(() => {
    write(frame("expired", "This stream reached its time limit; reconnect to continue."));
    close();
  }, opts.maxLifetimeMs ?? limits.maxLifetimeMs);
  return () => {
    clearInterval(heartbeat);
    clearTimeout(lifetime);
  };
}
