import Docker from "dockerode";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPrivatetradeImages } from "./build-images";
import { initDb } from "./src/init-db";
import { removeSuiteContainers, request, startApp, waitForAnswer } from "./test-support";

const SUITE = "pt-build";
const VARIANT_REPO = "gltest-a-privatetrade";
const docker = new Docker();
let dir = "";

beforeAll(async () => {
  await buildPrivatetradeImages();
  await removeSuiteContainers(SUITE);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "gltest-a-build-"));
  initDb(path.join(dir, "backtest.db"));
});

afterAll(async () => {
  await removeSuiteContainers(SUITE);
  const mine = await docker.listImages({ filters: { reference: [`${VARIANT_REPO}:*`] } });
  for (const image of mine) {
    for (const tag of image.RepoTags ?? []) await docker.getImage(tag).remove({ force: true });
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("scripts/build-images.sh", () => {
  it("skips images that already match their build context", async () => {
    const lines = await buildPrivatetradeImages();
    expect(lines.some((l) => l.startsWith("build-images: skip privatetrade:1.9.0: up to date"))).toBe(true);
    expect(lines.some((l) => l.startsWith("build-images: skip privatetrade:2.0.0: up to date"))).toBe(true);
    expect(lines.some((l) => l.startsWith("build-images: build "))).toBe(false);
  });

  it("labels the images with version, example name and content hash", async () => {
    const info = await docker.getImage("privatetrade:2.0.0").inspect();
    expect(info.Config.Labels).toMatchObject({
      "org.opencontainers.image.version": "2.0.0",
      "greenlight.example": "privatetrade",
      "greenlight.example.features": "v2",
    });
    expect(info.Config.Labels?.["greenlight.example.hash"]).toMatch(/^[0-9a-f]{64}$/);
    expect(info.Config.Entrypoint).toEqual(["/usr/bin/node", "/app/server.js"]);
  });

  it("builds a variant tag that reports its own version, then skips it", async () => {
    const first = await buildPrivatetradeImages({ versions: ["2.0.1"], repo: VARIANT_REPO, features: "v1" });
    expect(first.some((l) => l.startsWith(`build-images: built ${VARIANT_REPO}:2.0.1`))).toBe(true);
    const again = await buildPrivatetradeImages({ versions: ["2.0.1"], repo: VARIANT_REPO, features: "v1" });
    expect(again.some((l) => l.startsWith(`build-images: skip ${VARIANT_REPO}:2.0.1`))).toBe(true);

    await startApp({ suite: SUITE, image: `${VARIANT_REPO}:2.0.1`, port: 41021, dbDir: dir });
    const health = await waitForAnswer(41021);
    expect(health).toMatchObject({ status: 200, body: { status: "healthy", version: "2.0.1" } });
    expect((await request(41021, "GET", "/api/stocks/specific")).status).toBe(404);
  });

  it("refuses a malformed version before touching Docker", async () => {
    await expect(buildPrivatetradeImages({ versions: ["2.0;rm"], repo: VARIANT_REPO })).rejects.toThrow(
      /not a version/,
    );
  });
});
