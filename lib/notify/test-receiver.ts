import http from "node:http";
import { configSchema, type Config } from "@/lib/config/schema";

export type Received = { method: string; path: string; body: unknown };
/** What the receiver does with the n-th request (0-based): answer with a status, or hold it open. */
export type Responder = (n: number) => { status: number; body?: string } | "hang";

/** A local HTTP endpoint on 127.0.0.1 standing in for Slack or PagerDuty, recording every request it gets. */
export async function startReceiver(port: number, respond: Responder = () => ({ status: 200, body: "ok" })) {
  const requests: Received[] = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: unknown = raw;
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {
        // keep the raw text
      }
      const n = requests.push({ method: req.method ?? "", path: req.url ?? "", body }) - 1;
      const answer = respond(n);
      if (answer === "hang") {
        hanging.add(res);
        return;
      }
      // No keep-alive: a pooled socket to a receiver closed by an earlier test would fail the next test's first request.
      res.writeHead(answer.status, { "content-type": "text/plain", connection: "close" }).end(answer.body ?? "");
    });
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** A config whose one service, privatetrade, notifies the given channels (nginx and slots point nowhere). */
export function configWith(notifications: unknown[]): Config {
  return configSchema.parse({
    nginx: { mainConfig: "/nonexistent/nginx.conf", upstreamDir: "/nonexistent", lbUrl: "http://127.0.0.1:49099" },
    services: [
      {
        name: "privatetrade",
        image: "privatetrade",
        slots: { blue: { port: 49098 }, green: { port: 49097 } },
        notifications,
      },
    ],
  });
}
