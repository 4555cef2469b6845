// Config reload without a restart, on a real stack (its own nginx, the machine's Docker): a broken file keeps the
// running config and names the field; a valid one applies to deployments that start afterwards, while one already
// under way finishes under the config it started with; a service removed with containers running is orphaned.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { abortDeployment } from "@/lib/deploy/abort";
import { serviceOf } from "@/lib/deploy/context";
import { promoteDeployment } from "@/lib/deploy/promote";
import { startDeployment } from "@/lib/deploy/start-deployment";
import { getDeployment } from "@/lib/deploy/store";
import { queryAudit } from "@/lib/audit/query";
import { deployAndWait, engineFixture, lbHealth, type Fixture } from "@/tests/support/engine-fixture";
import { reloadConfig } from "./reload";

const BASE = 47780;
const ADDED = "gl-reload-added";
const admin = { username: "alice", role: "admin", via: "console" as const };
let fx: Fixture;
let original = "";

/** Rewrites the fixture's greenlight.yaml through the YAML document, as an operator edits the file. */
function editConfig(edit: (doc: ReturnType<typeof parseDocument>) => void): void {
  const doc = parseDocument(original);
  edit(doc);
  fs.writeFileSync(fx.configFile, doc.toString());
}

function lastReloadAudit() {
  const { rows } = queryAudit(fx.ctx.db, { action: "config.reload", limit: 1 });
  return rows[0]!;
}

beforeAll(async () => {
  fx = await engineFixture(BASE, "gl-reload", (svc) => {
    svc.container.stopGraceSeconds = 2;
  });
  original = fs.readFileSync(fx.configFile, "utf8");
  const first = await deployAndWait(fx, "privatetrade:1.9.0", { autoPromote: true });
  expect(first.status, first.error ?? "").toBe("succeeded");
}, 180_000);
afterAll(async () => {
  if (original) fs.writeFileSync(fx.configFile, original);
  await fx?.cleanup();
});

describe("reloading greenlight.yaml without a restart", () => {
  it("a broken file changes nothing, names the field that is wrong, and is audited as failed", async () => {
    const before = fx.ctx.config;
    editConfig((doc) => doc.setIn(["services", 0, "health", "path"], "api/health"));
    const outcome = await reloadConfig(fx.ctx, admin, fx.configFile);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems).toContain("services[0].health.path: must start with /");
    expect(fx.ctx.config).toBe(before);
    const row = lastReloadAudit();
    expect(row.outcome).toBe("failed");
    expect(row.actor).toBe("alice");
    expect(row.reason).toContain("services[0].health.path: must start with /");
  });

  it("a valid file applies to the next deployment only: the one at the gate finishes under its own config", async () => {
    const gated = await deployAndWait(fx, "privatetrade:2.0.0");
    expect(gated.status, gated.error ?? "").toBe("awaiting_promotion");

    // A health path 2.0.0 does not serve, and a second service with ports of its own.
    editConfig((doc) => {
      doc.setIn(["services", 0, "health", "path"], "/api/not-served");
      const added = doc.createNode({
        ...(parseDocument(original).getIn(["services", 0]) as { toJSON(): Record<string, unknown> }).toJSON(),
        name: ADDED,
        slots: { blue: { port: BASE + 4 }, green: { port: BASE + 5 } },
        route: { pathPrefix: "/added/" },
      });
      (doc.get("services") as { add(node: unknown): void }).add(added);
    });
    const outcome = await reloadConfig(fx.ctx, admin, fx.configFile);
    expect(outcome.ok, JSON.stringify(outcome)).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.changes).toContain(`service ${ADDED} added`);
    expect(outcome.changes).toContain(`service ${fx.service.name}: health changed`);
    expect(serviceOf(fx.ctx, ADDED).slots.green.port).toBe(BASE + 5);
    expect(lastReloadAudit().reason).toContain(`service ${ADDED} added`);

    // Promoted after the reload, the gated deployment still checks the path it started with, and succeeds.
    await promoteDeployment(fx.ctx, gated.id, "test").pipeline;
    const promoted = getDeployment(fx.ctx.db, gated.id);
    expect(promoted.status, promoted.error ?? "").toBe("succeeded");
    expect((await lbHealth(fx)).version).toBe("2.0.0");

    // A deployment started now checks the new path, which the live release does not serve: preflight says so.
    const next = await deployAndWait(fx, "privatetrade:1.9.0");
    expect(next.status).toBe("failed");
    expect(next.error).toMatch(/^Preflight failed: Live health and version: green \/api\/not-served: /);

    // The added service deploys: its first release reaches the gate on its own ports.
    const started = await startDeployment(fx.ctx, { service: ADDED, image: "privatetrade:1.9.0" }, "test");
    if (started.noop) throw new Error(started.message);
    await started.pipeline;
    const firstOfAdded = getDeployment(fx.ctx.db, started.deploymentId);
    expect(firstOfAdded.status, firstOfAdded.error ?? "").toBe("awaiting_promotion");
    const res = await fetch(`http://127.0.0.1:${BASE + 4}/api/health`);
    expect(((await res.json()) as { version: string }).version).toBe("1.9.0");
    await abortDeployment(fx.ctx, firstOfAdded.id, "alice", { actor: admin });
  }, 180_000);

  it("a service removed while its containers run is listed as orphaned, never dropped silently", async () => {
    editConfig((doc) => {
      doc.setIn(["services", 0, "name"], "gl-reload-renamed");
      doc.setIn(["services", 0, "slots"], { blue: { port: BASE + 4 }, green: { port: BASE + 5 } });
    });
    const outcome = await reloadConfig(fx.ctx, admin, fx.configFile);
    expect(outcome.ok, JSON.stringify(outcome)).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.changes).toContain(`service ${fx.service.name} removed`);
    const orphan = outcome.orphaned.find((o) => o.service === fx.service.name);
    expect(orphan?.containers.length).toBeGreaterThan(0);
    expect(lastReloadAudit().reason).toContain(`orphaned: ${fx.service.name}`);
    // Back to the original file: the service is declared again and nothing is orphaned.
    fs.writeFileSync(fx.configFile, original);
    const back = await reloadConfig(fx.ctx, admin, fx.configFile);
    expect(back.ok && back.orphaned).toEqual([]);
  }, 60_000);
});
