import { AppError } from "@/lib/errors";
import { dockerMessage, getDocker } from "./client";
import { PullTracker, type PullMessage, type PullProgress } from "./pull-progress";

export type RegistryAuth = { username: string; password: string; serveraddress: string };
export type PullFailureKind =
  "unauthorized" | "not_found" | "unreachable" | "disk_full" | "stalled" | "aborted" | "other";

/** A pull that did not finish; `kind` is what a release manager can act on, the message never holds a credential. */
export class PullError extends AppError {
  override readonly status = 502;
  override readonly code = "pull_failed";
  constructor(
    readonly kind: PullFailureKind,
    message: string,
  ) {
    super(message);
  }
}

/** Sorts the engine's pull error text into the causes people act on differently. */
export function classifyPullError(text: string): PullFailureKind {
  if (/unauthorized|authentication required|denied|no basic auth credentials|\b401\b/i.test(text))
    return "unauthorized";
  if (/manifest unknown|not found|does not exist|\b404\b/i.test(text)) return "not_found";
  if (/no space left on device|disk quota/i.test(text)) return "disk_full";
  if (
    /connection refused|no such host|dial tcp|i\/o timeout|connection reset|network is unreachable|EOF|TLS handshake|server gave HTTP response/i.test(
      text,
    )
  )
    return "unreachable";
  return "other";
}

export type PullInput = {
  ref: string;
  auth?: RegistryAuth;
  /** No downloaded byte and no layer moving for this long fails the pull as stalled. */
  stallMs: number;
  signal?: AbortSignal;
  onProgress?: (progress: PullProgress) => void;
  /** Least time between two onProgress calls; the last state is always reported. */
  progressEveryMs?: number;
};

function redactAuth(text: string, auth?: RegistryAuth): string {
  if (!auth || auth.password.length === 0) return text;
  return text.split(auth.password).join("••••••");
}

/** Pulls `ref` through the engine, reporting layer progress; resolves with the final progress. */
export async function pullImage(input: PullInput): Promise<PullProgress> {
  const docker = getDocker();
  const tracker = new PullTracker(input.ref);
  const fail = (kind: PullFailureKind, text: string) => new PullError(kind, redactAuth(text, input.auth));
  let stream: NodeJS.ReadableStream & { destroy?: () => void };
  try {
    stream = (await docker.pull(input.ref, input.auth ? { authconfig: input.auth } : {})) as typeof stream;
  } catch (error) {
    const text = dockerMessage(error);
    throw fail(classifyPullError(text), text);
  }
  return new Promise<PullProgress>((resolve, reject) => {
    let settled = false;
    let lastMoved = Date.now();
    let lastSent = 0;
    const every = input.progressEveryMs ?? 250;
    const report = (force: boolean) => {
      if (!input.onProgress || (!force && Date.now() - lastSent < every)) return;
      lastSent = Date.now();
      input.onProgress(tracker.snapshot());
    };
    const finish = (error: PullError | null) => {
      if (settled) return;
      settled = true;
      clearInterval(stallTimer);
      input.signal?.removeEventListener("abort", onAbort);
      if (error) {
        // Closing the connection makes the engine cancel the pull.
        stream.destroy?.();
        reject(error);
      } else {
        report(true);
        resolve(tracker.snapshot());
      }
    };
    const onAbort = () => finish(fail("aborted", "the pull was aborted"));
    input.signal?.addEventListener("abort", onAbort, { once: true });
    const stallTimer = setInterval(
      () => {
        const quiet = Date.now() - lastMoved;
        if (quiet >= input.stallMs) {
          const p = tracker.snapshot();
          finish(
            fail(
              "stalled",
              `no progress for ${Math.round(quiet / 1000)} s at ${p.percent}% (${p.done} of ${p.total} bytes)`,
            ),
          );
        }
      },
      Math.min(1000, Math.max(50, input.stallMs / 4)),
    );
    docker.modem.followProgress(
      stream,
      (error: Error | null) => {
        if (error) finish(fail(classifyPullError(dockerMessage(error)), dockerMessage(error)));
        else finish(null);
      },
      (message: PullMessage) => {
        if (settled) return;
        if (message.error) {
          finish(fail(classifyPullError(message.error), message.error));
          return;
        }
        if (tracker.add(message)) lastMoved = Date.now();
        report(false);
      },
    );
    if (input.signal?.aborted) onAbort();
  });
}
