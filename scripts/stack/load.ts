import http from "node:http";

export type LoadOptions = {
  url: string;
  /** Clients reusing connections (keep-alive) and clients opening one connection per request. */
  keepAliveClients: number;
  newConnectionClients: number;
  /** Hard bounds: the load stops at whichever comes first. */
  maxRequests: number;
  maxMs: number;
  /** Per client; 0 means as fast as answers come. */
  requestsPerSecond?: number;
  /** Every n-th request of a client is a POST to postPath. */
  postEvery?: number;
  getPath?: string;
  postPath?: string;
  /** Each answer as it arrives: its status and the upstream the load balancer says answered (X-Greenlight-Upstream). */
  onAnswer?: (answer: { status: number; upstream: string | null; at: number }) => void;
};

export type LoadResult = {
  requests: number;
  ok: number;
  non2xx: number;
  /** Requests that failed for good: a connection error on a fresh connection, or again after the one retry. */
  connectionErrors: number;
  /** Requests re-sent once because a reused keep-alive connection was closed before any answer (browsers do this). */
  retriedStale: number;
  byStatus: Record<string, number>;
  latenciesMs: number[];
};

function once(agent: http.Agent | false, url: URL, method: string, path: string, body?: string) {
  return new Promise<{ status: number; upstream: string | null } | { error: NodeJS.ErrnoException; reused: boolean }>(
    (resolve) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path,
          method,
          agent,
          headers: body
            ? { "content-type": "application/json", "content-length": Buffer.byteLength(body) }
            : agent
              ? {}
              : { connection: "close" },
        },
        (res) => {
          res.resume();
          const upstream = res.headers["x-greenlight-upstream"];
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              upstream: Array.isArray(upstream) ? upstream.join(", ") : (upstream ?? null),
            }),
          );
          res.on("error", (error) => resolve({ error, reused: req.reusedSocket }));
        },
      );
      req.setTimeout(10_000, () => req.destroy(Object.assign(new Error("timeout"), { code: "ETIMEDOUT" })));
      req.on("error", (error: NodeJS.ErrnoException) => resolve({ error, reused: req.reusedSocket }));
      req.end(body);
    },
  );
}

/** A bounded load generator for loopback targets only, counting failures the way a careful client would see them. */
export async function runLoad(options: LoadOptions, stop?: AbortSignal): Promise<LoadResult> {
  const url = new URL(options.url);
  if (!/^(127\.\d+\.\d+\.\d+|localhost)$/.test(url.hostname))
    throw new Error(`load is only ever sent to loopback, not ${url.hostname}`);
  const result: LoadResult = {
    requests: 0,
    ok: 0,
    non2xx: 0,
    connectionErrors: 0,
    retriedStale: 0,
    byStatus: {},
    latenciesMs: [],
  };
  const deadline = Date.now() + options.maxMs;
  const gap = options.requestsPerSecond ? 1000 / options.requestsPerSecond : 0;
  const more = () => result.requests < options.maxRequests && Date.now() < deadline && !stop?.aborted;

  async function client(keepAlive: boolean, index: number) {
    const agent = keepAlive ? new http.Agent({ keepAlive: true, maxSockets: 1 }) : false;
    let n = index;
    try {
      while (more()) {
        result.requests++;
        n++;
        const post = options.postEvery ? n % options.postEvery === 0 : false;
        const method = post ? "POST" : "GET";
        const path = post ? (options.postPath ?? "/api/backtests") : (options.getPath ?? "/api/config");
        const body = post ? JSON.stringify({ strategy: "load", symbol: "005930" }) : undefined;
        const started = performance.now();
        let answer = await once(agent, url, method, path, body);
        if ("error" in answer && answer.reused && ["ECONNRESET", "EPIPE"].includes(answer.error.code ?? "")) {
          result.retriedStale++;
          answer = await once(agent, url, method, path, body);
        }
        if ("error" in answer) result.connectionErrors++;
        else {
          result.byStatus[answer.status] = (result.byStatus[answer.status] ?? 0) + 1;
          if (answer.status >= 200 && answer.status < 300) result.ok++;
          else result.non2xx++;
          result.latenciesMs.push(performance.now() - started);
          options.onAnswer?.({ status: answer.status, upstream: answer.upstream, at: Date.now() });
        }
        if (gap) await new Promise((r) => setTimeout(r, Math.max(0, gap - (performance.now() - started))));
      }
    } finally {
      if (agent) agent.destroy();
    }
  }

  await Promise.all([
    ...Array.from({ length: options.keepAliveClients }, (_, i) => client(true, i)),
    ...Array.from({ length: options.newConnectionClients }, (_, i) => client(false, i)),
  ]);
  return result;
}
