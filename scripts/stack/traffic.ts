/** Light, steady traffic through nginx so the charts have data: loopback only, bounded in rate and duration. */
export type TrafficOptions = { lbUrl: string; perSecond: number; maxMs: number; postEvery?: number };

export function startTraffic(options: TrafficOptions): { stop: () => void; sent: () => number; done: Promise<void> } {
  const url = new URL(options.lbUrl);
  if (!/^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(url.hostname))
    throw new Error(`traffic is only ever sent to loopback, not ${url.hostname}`);
  const perSecond = Math.min(Math.max(options.perSecond, 0.1), 50);
  let sent = 0;
  let stopped = false;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  const deadline = Date.now() + options.maxMs;
  const tick = () => {
    if (stopped || Date.now() >= deadline) return finish();
    sent++;
    const post = options.postEvery && sent % options.postEvery === 0;
    const path = post ? "/api/backtests" : sent % 3 === 0 ? "/api/health" : "/api/config";
    // Appended, not resolved: a service behind a path prefix (http://lb/lab) keeps its prefix.
    fetch(`${url.href.replace(/\/+$/, "")}${path}`, {
      method: post ? "POST" : "GET",
      headers: post ? { "content-type": "application/json" } : undefined,
      body: post ? JSON.stringify({ strategy: "demo", symbol: "005930" }) : undefined,
      signal: AbortSignal.timeout(5000),
    })
      .then((r) => r.arrayBuffer())
      .catch(() => undefined);
  };
  const timer = setInterval(tick, 1000 / perSecond);
  function finish() {
    if (!stopped) stopped = true;
    clearInterval(timer);
    resolveDone();
  }
  return { stop: finish, sent: () => sent, done };
}
