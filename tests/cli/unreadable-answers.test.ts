import http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { lastLine, runCli } from "@/tests/support/cli-run";

const PORT = 52124;
let server: http.Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

type Reply = (res: http.ServerResponse) => void;
const snapshot = (status: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    deployment: {
      id: "d7",
      service: "svc",
      version: "2.0.0",
      toSlot: "green",
      status,
      phase: "health",
      error: null,
      ...extra,
    },
    steps: [],
  });

/** A console that answers GETs of deployment d7 with the given replies in turn, the last one from then on. */
async function consoleAnswering(replies: Reply[]) {
  let n = 0;
  server = http.createServer((req, res) => {
    if (req.method === "POST") {
      res
        .writeHead(202, { "content-type": "application/json" })
        .end(JSON.stringify({ id: "d7", version: "2.0.0", toSlot: "green", status: "running" }));
      return;
    }
    replies[Math.min(n++, replies.length - 1)]!(res);
  });
  await new Promise<void>((resolve) => server!.listen(PORT, "127.0.0.1", resolve));
}

const cli = (args: string[]) =>
  runCli(args, { url: `http://127.0.0.1:${PORT}`, token: "glt_test", interval: 100, killAfterMs: 30_000 });

const json =
  (body: string, status = 200): Reply =>
  (res) =>
    res.writeHead(status, { "content-type": "application/json" }).end(body);
// Headers promise a longer body than arrives before the connection closes: a cut-short answer.
const cutShort: Reply = (res) => {
  const body = snapshot("succeeded");
  res.writeHead(200, { "content-type": "application/json", "content-length": String(body.length) });
  res.write(body.slice(0, 20));
  setTimeout(() => res.destroy(), 20);
};

describe("answers the CLI cannot read are never success", () => {
  it("an empty body, a cut-short body, a 502 and a body without state are no news: it keeps following to the real verdict", async () => {
    await consoleAnswering([
      json(""),
      cutShort,
      json('{"error":{"code":"bad_gateway"}}', 502),
      json("{}"),
      json(snapshot("running")),
      json(snapshot("failed", { error: "smoke failed" })),
    ]);
    const r = await cli(["deploy", "--service", "svc", "--image", "svc:2.0.0", "--wait"]);
    expect(r.code, r.out + r.err).toBe(1);
    expect(r.out).toMatch(
      /lost contact with Greenlight \(200 with an empty or unreadable body from .*\); reconnecting to follow d7/,
    );
    expect(r.out).toMatch(/reconnected to Greenlight after \d+ s/);
    expect(lastLine(r.err)).toBe("failed: smoke failed (deployment d7)");
  });

  it("answers that stay unreadable end with exit 4 and what was last known, never 0", async () => {
    await consoleAnswering([json(snapshot("running")), cutShort]);
    const r = await cli([
      "deploy",
      "--service",
      "svc",
      "--image",
      "svc:2.0.0",
      "--auto-promote",
      "--wait",
      "--lost-contact",
      "1",
    ]);
    expect(r.code, r.out + r.err).toBe(4);
    expect(lastLine(r.err)).toMatch(
      /^aborted: lost contact with Greenlight at http:\/\/127\.0\.0\.1:52124 for \d+ s \(.*\); last known: d7 was running in health\. Its outcome is unknown: greenlight status d7$/,
    );
  });
});
