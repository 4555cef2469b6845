import { probe } from "./http-probe";
import { assertLoopbackUrl } from "./loopback";

type HealthOnceOptions = {
  url: string;
  expectedVersion?: string;
  /** Dotted path into the JSON body, default "version". */
  versionField?: string;
  requestTimeoutMs?: number;
  signal?: AbortSignal;
};
type HealthOnceResult = {
  ok: boolean;
  ms: number;
  status?: number;
  version?: string;
  body?: unknown;
  text?: string;
  reason?: string;
};

type PollHealthOptions = Omit<HealthOnceOptions, "requestTimeoutMs"> & {
  firstIntervalMs?: number;
  maxIntervalMs?: number;
  deadlineMs: number;
  requestTimeoutMs?: number;
  onAttempt?: (a: { attempt: number; status?: number; version?: string; error?: string }) => void;
  /** This many healthy answers in a row reporting another version end the poll: the image is not the release. */
  wrongVersionAfter?: number;
  /** This many identical non-2xx statuses in a row end the poll: the app is up and keeps saying no. */
  sameStatusAfter?: number;
};
/** Why a poll ended before its deadline on answers that will not change. */
type CertainFailure = "wrong_version" | "same_status";
type PollHealthResult = {
  ok: boolean;
  attempts: number;
  elapsedMs: number;
  status?: number;
  version?: string;
  body?: unknown;
  text?: string;
  reason?: string;
  certain?: CertainFailure;
};

function readField(body: unknown, dotted: string): unknown {
  let value: unknown = body;
  for (const key of dotted.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** One health request: ok when HTTP 200 and, if a version is expected, the body reports exactly it. */
export async function checkHealthOnce(options: HealthOnceOptions): Promise<HealthOnceResult> {
  const { url, expectedVersion, versionField = "version", requestTimeoutMs = 2000, signal } = options;
  const answer = await probe({ url, timeoutMs: requestTimeoutMs, signal });
  if (!answer.ok) return { ok: false, ms: answer.ms, reason: answer.error };
  let body: unknown = answer.text;
  try {
    body = JSON.parse(answer.text);
  } catch {
    // A non-JSON body is kept as text; it can still pass when no version is expected.
  }
  const raw = readField(body, versionField);
  const version = typeof raw === "string" || typeof raw === "number" ? String(raw) : undefined;
  const seen = {
    ms: answer.ms,
    status: answer.status,
    body,
    text: answer.text,
    ...(version !== undefined && { version }),
  };
  if (answer.status !== 200) return { ok: false, ...seen, reason: `answered ${answer.status}` };
  if (expectedVersion !== undefined && version !== expectedVersion) {
    const reason =
      version === undefined
        ? `reports no ${versionField}, expected ${expectedVersion}`
        : `reports version ${version}, expected ${expectedVersion}`;
    return { ok: false, ...seen, reason };
  }
  return { ok: true, ...seen };
}

const FAST_POLLS = 3;

/** Waits between attempts: a few fast polls, then doubling up to the cap. */
export function pollInterval(attempt: number, firstMs: number, maxMs: number): number {
  const doublings = Math.max(0, attempt - FAST_POLLS);
  return Math.min(maxMs, firstMs * 2 ** Math.min(doublings, 30));
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/**
 * Polls a slot's health endpoint until it is healthy or the deadline passes. No request runs past
 * the deadline; a cancelled signal ends the poll with reason "cancelled" instead of throwing.
 */
export async function pollHealth(options: PollHealthOptions): Promise<PollHealthResult> {
  const {
    deadlineMs,
    firstIntervalMs = 100,
    maxIntervalMs = 5000,
    requestTimeoutMs = 2000,
    signal,
    onAttempt,
  } = options;
  assertLoopbackUrl(options.url);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let attempts = 0;
  let last: HealthOnceResult | undefined;
  const streak = { wrongVersion: 0, status: 0 };
  let certain: CertainFailure | undefined;
  while (!signal?.aborted) {
    const remaining = deadlineMs - elapsed();
    if (remaining <= 0) break;
    attempts++;
    const timeoutMs = Math.max(1, Math.min(requestTimeoutMs, remaining));
    const answer = await checkHealthOnce({ ...options, requestTimeoutMs: timeoutMs });
    onAttempt?.({
      attempt: attempts,
      status: answer.status,
      version: answer.version,
      ...(!answer.ok && { error: answer.reason }),
    });
    const { ms: _ms, ...seen } = answer;
    if (answer.ok) return { ...seen, attempts, elapsedMs: elapsed() };
    // A request the deadline cut short says nothing new: the reason keeps the last answer the slot gave.
    const cutShort = answer.status === undefined && timeoutMs < requestTimeoutMs && last?.status !== undefined;
    if (!cutShort) {
      streak.wrongVersion = answer.status === 200 ? streak.wrongVersion + 1 : 0;
      const sameStatus = answer.status !== undefined && answer.status !== 200 && answer.status === last?.status;
      streak.status = answer.status === undefined || answer.status === 200 ? 0 : sameStatus ? streak.status + 1 : 1;
      last = answer;
      if (options.wrongVersionAfter && streak.wrongVersion >= options.wrongVersionAfter) certain = "wrong_version";
      else if (options.sameStatusAfter && streak.status >= options.sameStatusAfter) certain = "same_status";
      if (certain) break;
    }
    const wait = Math.min(pollInterval(attempts, firstIntervalMs, maxIntervalMs), deadlineMs - elapsed());
    if (wait <= 0) break;
    await sleep(wait, signal);
  }
  const lastSeen = last?.reason ?? "no attempt was made";
  const reason = certain
    ? `${lastSeen} (${attempts} answers, the last ${certain === "wrong_version" ? options.wrongVersionAfter : options.sameStatusAfter} alike)`
    : signal?.aborted
      ? `cancelled after ${attempts} attempts; last: ${lastSeen}`
      : `not healthy within ${deadlineMs} ms (${attempts} attempts); last: ${lastSeen}`;
  const { ms: _ms, reason: _r, ok: _ok, ...seen } = last ?? { ms: 0, ok: false };
  return { ok: false, attempts, elapsedMs: elapsed(), ...seen, reason, ...(certain && { certain }) };
}
