export type BackoffOptions = { baseDelayMs: number; maxDelayMs: number };

/** Delay before the next attempt after `attempts` failures: doubling from the base, capped, +-25% jitter. */
export function backoffDelay(
  attempts: number,
  { baseDelayMs, maxDelayMs }: BackoffOptions,
  random: () => number = Math.random,
): number {
  const exact = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(Math.min(maxDelayMs, exact * (0.75 + random() * 0.5)));
}
