import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempDb } from "@/lib/auth/test-db";
import { configSchema, type Config } from "@/lib/config/schema";
import { openDb, type Db } from "@/lib/db/client";
import { deployments } from "@/lib/db/schema";
import { emptyRollup, type Rollup } from "@/lib/metrics/rollup";
import { writeRollups } from "@/lib/metrics/rollup-store";
import { addSample } from "@/lib/metrics/histogram";
import { notifier } from "@/lib/notify/notifier";
import { listOutbox } from "@/lib/notify/outbox-rows";
import { evaluateAlerts } from "./evaluate-alerts";
import { alertStatesOf } from "./store";
import { silenceAlerts } from "./silence";

const T0 = Date.UTC(2026, 11, 4, 3, 0, 0);
const SEC = 1000;

const config: Config = configSchema.parse({
  nginx: { mainConfig: "/nonexistent/nginx.conf", upstreamDir: "/nonexistent", lbUrl: "http://127.0.0.1:53099" },
  services: [
    {
      name: "privatetrade",
      image: "privatetrade",
      slots: { blue: { port: 53098 }, green: { port: 53097 } },
      notifications: [
        { type: "slack", webhookUrl: "http://127.0.0.1:53096/hook" },
        { type: "pagerduty", routingKey: "alerts-test-key", eventsUrl: "http://127.0.0.1:53096/v2/enqueue" },
      ],
      alerts: {
        rules: [{ name: "errors", metric: "error_rate", above: 1, forSeconds: 30, windowSeconds: 10, minRequests: 10 }],
      },
    },
  ],
});

let t: ReturnType<typeof tempDb>;
let db: Db;
beforeEach(() => {
  t = tempDb();
  db = t.db;
});
afterEach(() => {
  db.$client.close();
  fs.rmSync(t.dir, { recursive: true, force: true });
});

/** Per-second traffic of the blue colour over [fromMs, toMs): `requests` a second, `errors` of them 5xx. */
function traffic(fromMs: number, toMs: number, requests: number, errors: number, slot: "blue" | "green" = "blue") {
  const rows: Rollup[] = [];
  for (let s = fromMs / SEC; s < toMs / SEC; s++) {
    const r = emptyRollup("privatetrade", slot, s);
    r.requests = requests;
    r.errors5xx = errors;
    addSample(r.hist, 40, requests);
    r.latencySumMs = 40 * requests;
    rows.push(r);
  }
  writeRollups(db, rows);
}

const round = (now: number, liveSlots: Record<string, "blue" | "green"> = { privatetrade: "blue" }) =>
  evaluateAlerts({ db, config, liveSlots, notify: notifier(db, config, () => {}), now });

/** What went to the outbox for alerts: "slack" or "pagerduty:<action>:<dedup key>". */
const paged = () =>
  listOutbox(db, { service: "privatetrade" })
    .filter((r) => r.kind.startsWith("alert_"))
    .map((r) =>
      r.channelType === "slack"
        ? `slack:${r.kind}`
        : `pagerduty:${(JSON.parse(r.payload) as { event_action: string }).event_action}:${r.dedupKey}`,
    );

const KEY = "greenlight-privatetrade-alert-errors";

describe("alert rules on the live colour", () => {
  it("pends while the figure is over its threshold, fires only after the rule's duration, and pages once", () => {
    traffic(T0 - 20 * SEC, T0 + 60 * SEC, 20, 2); // 10 % errors
    expect(round(T0)[0]).toMatchObject({ state: "pending" });
    expect(round(T0 + 29 * SEC)[0]).toMatchObject({ state: "pending" });
    expect(paged()).toEqual([]);
    expect(round(T0 + 30 * SEC)[0]).toMatchObject({ state: "firing", paged: "firing" });
    expect(round(T0 + 35 * SEC)[0]).toMatchObject({ state: "firing" });
    expect(paged()).toEqual(["slack:alert_firing", `pagerduty:trigger:${KEY}`]);
    const [state] = alertStatesOf(db, "privatetrade");
    expect(state).toMatchObject({ state: "firing", slot: "blue", firingSince: T0 + 30 * SEC, value: 10 });
    const slack = listOutbox(db, { service: "privatetrade" }).find((r) => r.kind === "alert_firing")!;
    expect(JSON.parse(slack.payload).text).toBe(
      "privatetrade alert errors is firing on blue: error rate 10 % &gt; 1 % for 30 s (since 03:00:30 UTC).",
    );
  });

  it("starts its duration over when the figure drops back before it fires", () => {
    traffic(T0 - 20 * SEC, T0 + 10 * SEC, 20, 2);
    traffic(T0 + 10 * SEC, T0 + 40 * SEC, 20, 0);
    traffic(T0 + 40 * SEC, T0 + 100 * SEC, 20, 2);
    round(T0);
    expect(round(T0 + 25 * SEC)[0]).toMatchObject({ state: "inactive" });
    expect(round(T0 + 50 * SEC)[0]).toMatchObject({ state: "pending" });
    expect(round(T0 + 79 * SEC)[0]).toMatchObject({ state: "pending" });
    expect(round(T0 + 80 * SEC)[0]).toMatchObject({ state: "firing" });
  });

  it("resolves when the figure recovers, with PagerDuty's resolve on the same key", () => {
    traffic(T0 - 20 * SEC, T0 + 40 * SEC, 20, 2);
    traffic(T0 + 40 * SEC, T0 + 80 * SEC, 20, 0);
    round(T0);
    round(T0 + 30 * SEC);
    expect(round(T0 + 65 * SEC)[0]).toMatchObject({ state: "resolved", paged: "resolved" });
    expect(round(T0 + 70 * SEC)[0]).toMatchObject({ state: "resolved" });
    expect(paged()).toEqual([
      "slack:alert_firing",
      `pagerduty:trigger:${KEY}`,
      "slack:alert_resolved",
      `pagerduty:resolve:${KEY}`,
    ]);
    expect(alertStatesOf(db, "privatetrade")[0]).toMatchObject({
      resolvedAt: T0 + 65 * SEC,
      firingSince: T0 + 30 * SEC,
    });
  });

  it("never pages on too little traffic: a quiet night is no error rate", () => {
    traffic(T0 - 20 * SEC, T0 + 60 * SEC, 0.5, 0.5);
    round(T0);
    expect(round(T0 + 40 * SEC)[0]).toMatchObject({ state: "inactive" });
    expect(paged()).toEqual([]);
  });

  it("does not page a firing twice across a restart of the console", () => {
    traffic(T0 - 20 * SEC, T0 + 120 * SEC, 20, 2);
    round(T0);
    round(T0 + 30 * SEC);
    const file = path.join(t.dir, "greenlight.db");
    db.$client.close();
    db = openDb(file, path.join(process.cwd(), "migrations"));
    expect(round(T0 + 40 * SEC)[0]).toMatchObject({ state: "firing" });
    expect(round(T0 + 90 * SEC)[0]).toMatchObject({ state: "firing" });
    expect(paged()).toEqual(["slack:alert_firing", `pagerduty:trigger:${KEY}`]);
  });

  it("shows a silenced firing without paging it, pages it when the silence ends, and audits the silence", () => {
    traffic(T0 - 20 * SEC, T0 + 200 * SEC, 20, 2);
    const user = { username: "olga", role: "oncall" as const };
    const silence = silenceAlerts(
      { db, config },
      { service: "privatetrade", rule: "errors", minutes: 1, reason: "known: upstream provider degraded" },
      user,
      undefined,
      T0,
    );
    expect(silence.endsAt).toBe(T0 + 60 * SEC);
    round(T0);
    expect(round(T0 + 30 * SEC)[0]).toMatchObject({ state: "firing" });
    expect(round(T0 + 59 * SEC)[0]).toMatchObject({ state: "firing" });
    expect(paged()).toEqual([]);
    expect(alertStatesOf(db, "privatetrade")[0]).toMatchObject({ state: "firing", notifiedAt: null });
    expect(round(T0 + 61 * SEC)[0]).toMatchObject({ state: "firing", paged: "firing" });
    expect(paged()).toEqual(["slack:alert_firing", `pagerduty:trigger:${KEY}`]);
    const audit = db.$client
      .prepare("SELECT actor, role, action, target, reason, details FROM audit_log WHERE action = 'alert.silence'")
      .all() as Array<{ actor: string; role: string; target: string; reason: string; details: string }>;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor: "olga",
      role: "oncall",
      target: "service:privatetrade",
      reason: "known: upstream provider degraded",
    });
    expect(JSON.parse(audit[0]!.details)).toMatchObject({ rule: "errors", minutes: 1, endsAt: T0 + 60 * SEC });
  });

  it("a silence of the whole service covers its rules; a viewer may not silence, nor silence without a reason", () => {
    traffic(T0 - 20 * SEC, T0 + 60 * SEC, 20, 2);
    const oncall = { username: "olga", role: "oncall" as const };
    expect(() =>
      silenceAlerts(
        { db, config },
        { service: "privatetrade", minutes: 30, reason: "looking" },
        {
          username: "vic",
          role: "viewer",
        },
      ),
    ).toThrow(/on-call/);
    expect(() => silenceAlerts({ db, config }, { service: "privatetrade", minutes: 30, reason: "" }, oncall)).toThrow(
      /reason/,
    );
    expect(() =>
      silenceAlerts(
        { db, config },
        { service: "privatetrade", rule: "nope", minutes: 30, reason: "looking into it" },
        oncall,
      ),
    ).toThrow(/no alert rule "nope"/);
    silenceAlerts(
      { db, config },
      { service: "privatetrade", minutes: 30, reason: "maintenance window" },
      oncall,
      undefined,
      T0,
    );
    round(T0);
    expect(round(T0 + 30 * SEC)[0]).toMatchObject({ state: "firing" });
    expect(paged()).toEqual([]);
  });

  it("leaves the live colour to the rollback triggers while a deployment's watch judges it", () => {
    traffic(T0 - 20 * SEC, T0 + 200 * SEC, 20, 2, "green");
    traffic(T0 - 20 * SEC, T0 + 200 * SEC, 20, 2, "blue");
    db.insert(deployments)
      .values({
        id: "dep-watch",
        service: "privatetrade",
        image: "privatetrade:2.0.0",
        version: "2.0.0",
        fromSlot: "blue",
        toSlot: "green",
        status: "running",
        phase: "watch",
        requestedBy: "rm",
        createdAt: T0 - 60 * SEC,
        updatedAt: T0,
        switchedAt: T0 - 10 * SEC,
      })
      .run();
    const green = { privatetrade: "green" as const };
    expect(round(T0, green)[0]).toMatchObject({ state: "held" });
    expect(round(T0 + 60 * SEC, green)[0]).toMatchObject({ state: "held" });
    expect(paged()).toEqual([]);
    // The blue colour still serving while green is only being prepared is judged as usual.
    expect(round(T0 + 61 * SEC)[0]).toMatchObject({ state: "pending" });
    db.$client.prepare("UPDATE deployments SET status = 'succeeded', finished_at = ? WHERE id = 'dep-watch'").run(T0);
    expect(round(T0 + 70 * SEC, green)[0]).toMatchObject({ state: "pending" });
    expect(round(T0 + 100 * SEC, green)[0]).toMatchObject({ state: "firing", paged: "firing" });
  });
});
