import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listServices } from "@/app/api/v1/_lib/services";
import { getDocker } from "@/lib/docker/client";
import { findContainers } from "@/lib/docker/containers";
import { LABELS } from "@/lib/docker/labels";
import { renderPrometheus } from "@/lib/metrics/prometheus";
import { startNginx, stopNginx } from "@/lib/nginx/nginx-ctl";
import { listOutbox } from "@/lib/notify/outbox-rows";
import { notifier } from "@/lib/notify/notifier";
import { getDeployment } from "@/lib/deploy/store";
import { adaToken } from "@/tests/support/api-token";
import { deployAndWait, engineFixture, type Fixture } from "@/tests/support/engine-fixture";
import { deploymentCount, expectServes } from "@/tests/support/scenario-helpers";
import { openIncidentOf } from "./store";
import { restartLive } from "./restart-live";
import { watchLiveColours } from "./watch-live";

let fx: Fixture;
let token = "";

beforeAll(async () => {
  fx = await engineFixture(47350, "gl-incident", (svc) => {
    svc.notifications = [
      { type: "slack", webhookUrl: "http://127.0.0.1:47359/services/T0/B0/incident-hook" },
      { type: "pagerduty", routingKey: "incident-routing-key", eventsUrl: "http://127.0.0.1:47359/v2/enqueue" },
    ];
  });
  fx.ctx.notify = notifier(fx.ctx.db, fx.config, () => {});
  const first = await deployAndWait(fx, "privatetrade:1.9.0", { autoPromote: true });
  expect(first.status, first.error ?? "").toBe("succeeded");
  token = adaToken(fx.ctx.db, { name: "viewer", role: "viewer", services: ["*"] });
}, 120_000);
afterAll(async () => {
  await fx?.cleanup();
});

const name = () => fx.service.name;
const sent = (kind: string) =>
  listOutbox(fx.ctx.db, { service: name() })
    .filter((r) => r.kind === kind)
    .map(
      (r) =>
        `${r.channelType}:${r.channelType === "pagerduty" ? (JSON.parse(r.payload) as { event_action: string }).event_action : "message"}`,
    );
const gauge = async (kind: string) => {
  const { text } = await renderPrometheus({ db: fx.ctx.db, config: fx.config, liveSlots: () => ({}) });
  return new RegExp(`greenlight_service_problem\\{service="${name()}",kind="${kind}"\\} (\\d)`).exec(text)?.[1];
};
const apiServices = async () => {
  const res = await listServices(
    new Request("http://127.0.0.1/api/v1/services", { headers: { authorization: `Bearer ${token}` } }),
    {},
    fx.ctx,
  );
  return (
    (await res.json()) as {
      services: Array<{ name: string; problem: string | null; incident: { kind: string } | null }>;
    }
  ).services.find((s) => s.name === name())!;
};

describe("the live colour down is an incident (issue 18, part 3)", () => {
  it("is raised once when the live container stops, shown in the API and Prometheus, and resolved when the release is started again", async () => {
    const before = deploymentCount(fx);
    const blue = (await findContainers({ service: name(), slot: "blue" }))[0]!;
    await getDocker().getContainer(blue.id).stop({ t: 1 });
    expect((await watchLiveColours(fx.ctx))[0]?.state).toBe("ok");
    expect((await watchLiveColours(fx.ctx))[0]?.state).toBe("raised");
    expect((await watchLiveColours(fx.ctx))[0]?.state).toBe("ongoing");
    const incident = openIncidentOf(fx.ctx.db, name())!;
    expect(incident.kind).toBe("live_down");
    expect(incident.problem).toMatch(
      new RegExp(`the live container ${blue.name} \\(blue\\) is exited; health through nginx failed`),
    );
    expect(sent("live_down")).toEqual(["slack:message", "pagerduty:trigger"]);
    expect(await apiServices()).toMatchObject({ problem: incident.problem, incident: { kind: "live_down" } });
    expect(await gauge("live_down")).toBe("1");
    expect(deploymentCount(fx)).toBe(before);

    const { message } = await restartLive(fx.ctx, name());
    expect(message).toContain("runs again and answers 1.9.0 on blue");
    expect((await watchLiveColours(fx.ctx))[0]?.state).toBe("resolved");
    expect(openIncidentOf(fx.ctx.db, name())).toBeUndefined();
    expect(sent("live_recovered")).toEqual(["slack:message", "pagerduty:resolve"]);
    expect(await gauge("live_down")).toBe("0");
    expect((await apiServices()).problem).toBeNull();
    await expectServes(fx, "blue", "1.9.0");
    expect(deploymentCount(fx)).toBe(before);
  }, 60_000);
});

describe("a rollback that could not run is retried (issue 18, part 4)", () => {
  it("marks the service as serving a failed release, says what is missing, and rolls back once nginx answers again", async () => {
    fx.service.watch.bakeSeconds = 5;
    fx.service.thresholds.evaluateEverySeconds = 1;
    fx.service.thresholds.consecutiveBreaches = 1;
    // The release breaches at once, and nginx goes down at that moment: the automatic rollback cannot switch back.
    fx.ctx.watchEvaluator = async () => {
      await stopNginx(fx.config.nginx);
      return { verdict: "breach", reasons: [{ metric: "error_rate", value: 40, threshold: 1 }] };
    };
    let dep;
    try {
      dep = await deployAndWait(fx, "privatetrade:2.0.0", { autoPromote: true });
    } finally {
      fx.ctx.watchEvaluator = undefined;
    }
    expect(dep.status).toBe("failed");
    expect(dep.error).toMatch(/the automatic rollback was impossible/);
    expect((await watchLiveColours(fx.ctx))[0]?.state).toBe("raised");
    const incident = openIncidentOf(fx.ctx.db, name())!;
    expect(incident.kind).toBe("failed_release");
    expect(incident.problem).toMatch(
      /^serves 2\.0\.0, a release that failed .*; the rollback cannot run yet: nginx does not answer; the rollback to blue \(1\.9\.0\) is retried as soon as nothing is missing$/,
    );
    expect(sent("serving_failed_release")).toEqual(["slack:message", "pagerduty:trigger"]);
    expect(await gauge("failed_release")).toBe("1");
    expect(getDeployment(fx.ctx.db, dep.id).status).toBe("failed");

    await startNginx(fx.config.nginx);
    expect((await watchLiveColours(fx.ctx))[0]?.state).toBe("rolled_back");
    expect(getDeployment(fx.ctx.db, dep.id).status).toBe("rolled_back");
    expect(openIncidentOf(fx.ctx.db, name())).toBeUndefined();
    await expectServes(fx, "blue", "1.9.0");
    expect((await findContainers({ service: name(), all: true })).map((c) => c.labels[LABELS.slot])).toEqual(["blue"]);
    expect(await gauge("failed_release")).toBe("0");
  }, 90_000);
});
