import net from "node:net";

/**
 * A TCP proxy on 127.0.0.1:`port` to a loopback `target` that passes the answers on at `bytesPerSecond`, so a pull
 * from the local registry lasts long enough for a person (and a browser test on a loaded machine) to watch it.
 */
export async function startThrottleProxy(
  port: number,
  target: { host: string; port: number },
  bytesPerSecond: number,
): Promise<{ close: () => Promise<void> }> {
  if (!/^127\./.test(target.host)) throw new Error(`the proxy only forwards to loopback, not ${target.host}`);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => undefined);
    }
    client.pipe(upstream);
    upstream.on("data", (chunk: Buffer) => {
      upstream.pause();
      client.write(chunk);
      setTimeout(() => upstream.resume(), (chunk.length / bytesPerSecond) * 1000);
    });
    upstream.on("end", () => client.end());
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", () => resolve()));
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
