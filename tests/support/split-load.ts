// Test support only: loopback load through a load balancer that keeps every answer with the upstream that gave it,
// so a test can measure which colour served which share of the requests over any stretch of time.
import { runLoad, type LoadResult } from "@/scripts/stack/load";

export type Answer = { status: number; upstream: string | null; at: number };

export type SplitLoad = {
  answers: Answer[];
  stop: () => Promise<LoadResult>;
};

export function startSplitLoad(url: string, options: { clients?: number; rps?: number } = {}): SplitLoad {
  const answers: Answer[] = [];
  const controller = new AbortController();
  const done = runLoad(
    {
      url,
      keepAliveClients: options.clients ?? 4,
      newConnectionClients: 1,
      requestsPerSecond: options.rps ?? 20,
      maxRequests: 200_000,
      maxMs: 600_000,
      postEvery: 5,
      onAnswer: (a) => answers.push(a),
    },
    controller.signal,
  );
  return { answers, stop: () => (controller.abort(), done) };
}

/** The answers between two moments (ms since the epoch). */
export const between = (answers: Answer[], from: number, to: number) =>
  answers.filter((a) => a.at >= from && a.at < to);

/** Percent of the answers that the server on `port` gave (by the X-Greenlight-Upstream header). */
export function shareOf(answers: Answer[], port: number): number {
  if (answers.length === 0) return NaN;
  const served = answers.filter((a) => a.upstream?.trim().endsWith(`:${port}`)).length;
  return (served * 100) / answers.length;
}
