// The live colour down, seen through the production console: the engine that next start runs checks the live
// colour on its own, raises the incident, and every page shows it; starting the container again clears it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDocker } from "@/lib/docker/client";
import { findContainers } from "@/lib/docker/containers";
import { startConsole, type ConsoleServer } from "@/tests/security/support/console-server";

let srv: ConsoleServer;

beforeAll(async () => {
  srv = await startConsole({ stackPort: 47370, port: 47375, name: "gl-incpages" });
}, 300_000);
afterAll(async () => {
  await srv?.stop();
});

/** The page as the user gets it, with the comments React puts between adjacent text pieces taken out. */
const page = async (path: string, user = "viewer") => {
  const res = await fetch(`${srv.url}${path}`, {
    headers: { cookie: srv.cookies[user]! },
    signal: AbortSignal.timeout(15_000),
  });
  return { status: res.status, text: (await res.text()).replace(/<!-- -->/g, "") };
};
const incidents = async () =>
  (
    JSON.parse((await page("/api/incidents")).text) as {
      incidents: Array<{ service: string; kind: string; problem: string }>;
    }
  ).incidents;

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}; console output:\n${srv.output().slice(-3000)}`);
}

describe("a live colour that is down raises the alarm on every console page", () => {
  it("shows a red banner on every page, the incident on the service page with the fitting action, and clears it once the release runs again", async () => {
    const name = srv.fx.service.name;
    expect(await incidents()).toEqual([]);
    expect((await page("/")).text).not.toContain('data-testid="incident-banner"');
    const blue = (await findContainers({ service: name, slot: "blue" }))[0]!;
    await getDocker().getContainer(blue.id).stop({ t: 1 });

    const [open] = await until(
      "the engine to raise the incident",
      async () => ((await incidents()).length > 0 ? incidents() : false),
      40_000,
    );
    expect(open).toMatchObject({ service: name, kind: "live_down" });
    expect(open!.problem).toContain(`the live container ${blue.name} (blue) is exited`);
    for (const path of ["/", "/audit", "/metrics", `/services/${name}`]) {
      const { status, text } = await page(path);
      expect(status, path).toBe(200);
      expect(text, path).toContain('data-testid="incident-banner"');
      expect(text, path).toContain(`${name} is down</a>: the live container ${blue.name} (blue) is exited`);
    }
    const service = (await page(`/services/${name}`, "oncall")).text;
    expect(service).toContain('data-testid="incident"');
    expect(service).toContain("Start 1.9.0 again on blue");
    expect((await page("/")).text).toContain('data-testid="service-incident"');
    const api = JSON.parse((await page("/api/v1/services")).text) as {
      services: Array<{ problem: string | null; incident: { kind: string } | null }>;
    };
    expect(api.services[0]).toMatchObject({ incident: { kind: "live_down" } });
    expect(api.services[0]!.problem).toContain("is exited");

    await getDocker().getContainer(blue.id).start();
    await until("the engine to resolve the incident", async () => (await incidents()).length === 0, 40_000);
    expect((await page("/")).text).not.toContain('data-testid="incident-banner"');
  }, 150_000);
});
