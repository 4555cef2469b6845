import http from "node:http";

export type Handler = (req: http.IncomingMessage, body: string) => { status: number; json?: unknown; delayMs?: number };

/** A tiny HTTP server on 127.0.0.1 for probing tests; returns a close function. */
export async function startServer(
  port: number,
  handler: Handler,
): Promise<{ close: () => Promise<void>; requests: string[] }> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      requests.push(`${req.method} ${req.url} ${body}`.trim());
      const { status, json, delayMs = 0 } = handler(req, body);
      setTimeout(() => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(json === undefined ? "" : JSON.stringify(json));
      }, delayMs);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  return {
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
