import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { serviceSchema } from "@/lib/config/schema";
import { initDb } from "@/examples/privatetrade/src/init-db";
import { buildContainerOptions } from "./container-options";
import {
  containerLogs,
  findContainers,
  inspectContainer,
  removeContainer,
  runContainer,
  stopContainer,
} from "./containers";
import { inspectImage } from "./images";

// The example service's image is built by another suite (scripts/build-images.sh); without it there is nothing to check here.
const IMAGE = "privatetrade:1.9.0";
const hasImage = (await inspectImage(IMAGE)) !== null;
const SERVICE = "gltest-c-example";
const PORT = 42060;
let dir = "";

afterAll(async () => {
  for (const c of await findContainers({ service: SERVICE, all: true })) await removeContainer(c.id);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe.runIf(hasImage)("the example service under Greenlight's container options", () => {
  it("serves its health endpoint with dropped capabilities and no-new-privileges, and stops cleanly", async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "gltest-c-example-"));
    initDb(path.join(dir, "backtest.db"));
    const service = serviceSchema.parse({
      name: SERVICE,
      image: "privatetrade",
      slots: { blue: { port: PORT }, green: { port: PORT + 1 } },
      container: { env: {}, volumes: [{ host: dir, container: "/app/data" }], memoryMb: 256 },
    });
    const { id } = await runContainer(
      buildContainerOptions({
        service,
        slot: "blue",
        image: IMAGE,
        version: "1.9.0",
        deploymentId: `x${Date.now().toString(36)}`,
        env: { DATABASE_PATH: "/app/data/backtest.db" },
      }),
    );
    let body: unknown;
    for (let i = 0; i < 100 && body === undefined; i++) {
      body = await fetch(`http://127.0.0.1:${PORT}/api/health`).then(
        (r) => (r.ok ? r.json() : undefined),
        () => undefined,
      );
      if (body === undefined) await new Promise((r) => setTimeout(r, 100));
    }
    expect(body).toMatchObject({ status: "healthy", version: "1.9.0" });
    await stopContainer(id, 10);
    expect(await inspectContainer(id)).toMatchObject({ state: "exited", exitCode: 0 });
    expect(await containerLogs(id)).toContain("Database connected");
  });
});
