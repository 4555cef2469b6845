import type { Db } from "@/lib/db/client";
import { deployments, deploymentSteps, deploymentEvents, PHASES, type Deployment } from "@/lib/db/schema";
import { newDeploymentId } from "@/lib/deploy/ids";
import { recordAudit } from "@/lib/audit/record";
import { addSample, encodeHistogram, type Histogram } from "@/lib/metrics/histogram";
import { compactMetrics } from "@/lib/metrics/compact-metrics";

/**
 * The history a console has after months of use, written into a stack's Greenlight database before the console
 * starts: `deploymentCount` finished deployments spread over the services and the last 60 days (each with its
 * steps, events and audit rows), and 72 h of per-second metrics for every service (the live colour all the time,
 * the other colour around each switch), already rolled into minutes as the retention job would have done.
 */
export type HistoryCounts = {
  deployments: number;
  steps: number;
  events: number;
  audit: number;
  metricSeconds: number;
};

/** The phases a deployment's steps walk through, in order, up to and including verify. */
const PIPELINE: readonly string[] = PHASES.slice(0, PHASES.indexOf("verify") + 1);
const OUTCOMES: Array<{ status: Deployment["status"]; weight: number; lastPhase: string }> = [
  { status: "succeeded", weight: 80, lastPhase: "done" },
  { status: "failed", weight: 10, lastPhase: "health" },
  { status: "rolled_back", weight: 6, lastPhase: "rollback" },
  { status: "aborted", weight: 4, lastPhase: "gate" },
];
const HOUR = 3600_000;

/** A small deterministic generator, so two runs of the bench seed the same history. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function pickOutcome(r: number) {
  let acc = 0;
  for (const o of OUTCOMES) {
    acc += o.weight / 100;
    if (r < acc) return o;
  }
  return OUTCOMES[0]!;
}

function seedDeployments(db: Db, services: string[], count: number, before: number, rnd: () => number) {
  const counts = { deployments: 0, steps: 0, events: 0, audit: 0 };
  const span = 60 * 24 * HOUR;
  const insert = db.$client.transaction(() => {
    for (let i = 0; i < count; i++) {
      const service = services[i % services.length]!;
      const createdAt = before - span + Math.floor((span * i) / count);
      const outcome = pickOutcome(rnd());
      const toSlot = i % 2 === 0 ? "green" : "blue";
      const minor = Math.floor(i / services.length);
      const id = newDeploymentId(createdAt);
      const duration = 20_000 + Math.floor(rnd() * 40_000);
      const finishedAt = createdAt + duration;
      db.insert(deployments)
        .values({
          id,
          service,
          image: `privatetrade:1.${minor}.0`,
          imageDigest: `sha256:${id.padEnd(64, "0").slice(0, 64)}`,
          version: `1.${minor}.0`,
          fromSlot: toSlot === "green" ? "blue" : "green",
          toSlot,
          fromVersion: minor > 0 ? `1.${minor - 1}.0` : null,
          status: outcome.status,
          phase: outcome.lastPhase as Deployment["phase"],
          autoPromote: i % 3 === 0,
          requestedBy: i % 4 === 0 ? "ci-token" : "release-manager",
          promotedBy: outcome.status === "aborted" ? null : "release-manager",
          error: outcome.status === "failed" ? "Health check failed: answered 503 for 30 s" : null,
          rollbackReason: outcome.status === "rolled_back" ? "p95 latency above 1000 ms for 3 windows" : null,
          createdAt,
          updatedAt: finishedAt,
          gateReachedAt: createdAt + 8_000,
          switchedAt: outcome.status === "succeeded" || outcome.status === "rolled_back" ? createdAt + 12_000 : null,
          finishedAt,
          oldSlotRemovedAt: finishedAt + 24 * HOUR,
        })
        .run();
      counts.deployments++;
      const last = PIPELINE.indexOf(outcome.lastPhase);
      const phases = last === -1 ? PIPELINE : PIPELINE.slice(0, last + 1);
      phases.forEach((phase, n) => {
        const failedHere = outcome.status === "failed" && phase === outcome.lastPhase;
        db.insert(deploymentSteps)
          .values({
            deploymentId: id,
            phase: phase as Deployment["phase"],
            status: failedHere ? "failed" : "passed",
            startedAt: createdAt + n * 1_000,
            endedAt: createdAt + n * 1_000 + 900,
            summary: failedHere ? "answered 503 for 30 s" : `${phase} passed`,
            detail: { checks: [{ name: phase, ok: !failedHere }] },
          })
          .run();
        counts.steps++;
        db.insert(deploymentEvents)
          .values({ deploymentId: id, at: createdAt + n * 1_000, level: failedHere ? "error" : "info", message: phase })
          .run();
        counts.events++;
      });
      for (const action of ["deployment.start", "deployment.promote"]) {
        recordAudit(db, {
          at: createdAt,
          actor: i % 4 === 0 ? "ci-token" : "release-manager",
          role: "release_manager",
          action,
          target: `deployment:${id}`,
          details: { service, image: `privatetrade:1.${minor}.0` },
        });
        counts.audit++;
      }
    }
  });
  insert.immediate();
  return counts;
}

/** Per-second rows for the last 72 h: ~`rps` requests a second on the live colour, the other one around switches. */
function seedMetrics(db: Db, services: string[], endSec: number, rps: number, rnd: () => number): number {
  const start = endSec - 72 * 3600;
  const insert = db.$client.prepare(
    `INSERT OR IGNORE INTO metric_points (service, slot, ts, requests, errors_5xx, latency_sum_ms, hist, samples,
       cpu_pct_sum, mem_bytes_sum, mem_bytes_max, db_errors) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let rows = 0;
  const point = (service: string, slot: string, ts: number, requests: number) => {
    const hist: Histogram = new Map();
    let sum = 0;
    for (let k = 0; k < requests; k++) {
      const ms = 15 + rnd() * rnd() * 400;
      addSample(hist, ms);
      sum += ms;
    }
    const errors = rnd() < 0.02 ? 1 : 0;
    const mem = 120e6 + rnd() * 30e6;
    insert.run(
      service,
      slot,
      ts,
      requests,
      errors,
      sum,
      encodeHistogram(hist),
      1,
      2 + rnd() * 6,
      mem,
      Math.round(mem),
      0,
    );
    rows++;
  };
  for (const service of services) {
    db.$client.transaction(() => {
      for (let ts = start; ts < endSec; ts++) {
        const hour = Math.floor((ts - start) / 3600);
        const live = Math.floor(hour / 8) % 2 === 0 ? "blue" : "green";
        point(service, live, ts, Math.max(1, Math.round(rps * (0.5 + rnd()))));
        // The colour that was just switched away from keeps serving stragglers for 15 minutes after each switch.
        if (hour % 8 === 0 && (ts - start) % 3600 < 900) point(service, live === "blue" ? "green" : "blue", ts, 1);
      }
    })();
  }
  return rows;
}

export function seedRealisticHistory(
  db: Db,
  input: { services: string[]; deployments: number; before: number; rps?: number; seed?: number },
): HistoryCounts {
  const rnd = random(input.seed ?? 42);
  const counts = seedDeployments(db, input.services, input.deployments, input.before - HOUR, rnd);
  const metricSeconds = seedMetrics(db, input.services, Math.floor(input.before / 1000), input.rps ?? 8, rnd);
  // What the retention job would have done long ago: every complete minute rolled (it works a day per call).
  for (let i = 0; i < 10 && compactMetrics(db, input.before / 1000).minutesRolled > 0; i++);
  return { ...counts, metricSeconds };
}
