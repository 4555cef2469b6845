import { describe, expect, it } from "vitest";
import { answerOf, classifyFailure, explainFailure, FAILURE_KINDS, failureOf, withNextStep } from "./failure-kinds";

describe("failure kinds", () => {
  it("the catalogue holds the fourteen kinds, each with a title, a plain explanation and a next step", () => {
    expect(Object.keys(FAILURE_KINDS).sort()).toEqual(
      [
        "disk_low",
        "docker_unreachable",
        "haproxy_config_invalid",
        "haproxy_refused",
        "image_missing",
        "lock_held",
        "migration_breaks_n1",
        "migration_failed",
        "never_healthy",
        "nginx_config_invalid",
        "reload_not_applied",
        "smoke_failed",
        "tests_failed",
        "wrong_version",
      ].sort(),
    );
    for (const kind of Object.keys(FAILURE_KINDS) as Array<keyof typeof FAILURE_KINDS>) {
      const e = explainFailure(kind);
      expect(e.title.length, kind).toBeGreaterThan(3);
      expect(e.explanation, kind).toMatch(/\.$/);
      expect(e.nextStep, kind).toMatch(/\.$/);
    }
  });

  it("a kind the phase recorded wins; otherwise phase and message decide", () => {
    expect(classifyFailure({ phase: "health", summary: "anything", detail: { kind: "wrong_version" } })).toBe(
      "wrong_version",
    );
    expect(
      classifyFailure({
        phase: "health",
        summary:
          "green never became healthy within 300 s: not healthy within 300000 ms (9 attempts); last: answered 503",
      }),
    ).toBe("never_healthy");
    expect(
      classifyFailure({ phase: "health", summary: "green never became healthy: the target exited with code 1" }),
    ).toBe("never_healthy");
    expect(
      classifyFailure({
        phase: "smoke",
        summary: "Smoke test failed, aborting deployment: GET /api/config answered 500",
      }),
    ).toBe("smoke_failed");
    expect(
      classifyFailure({
        phase: "migrate",
        summary: "The migration would break the live release, so it was not applied: ...",
      }),
    ).toBe("migration_breaks_n1");
    expect(
      classifyFailure({
        phase: "migrate",
        summary: 'Migration failed and was rolled back, the database is unchanged: near "ALTR": syntax error',
      }),
    ).toBe("migration_failed");
    expect(
      classifyFailure({
        phase: "switch",
        summary:
          "nginx rejected the configuration, so traffic was not switched (previous upstream restored): unknown directive",
      }),
    ).toBe("nginx_config_invalid");
    expect(
      classifyFailure({
        phase: "switch",
        summary: "nginx -s reload failed: nginx is not running; the previous upstream file was restored",
      }),
    ).toBe("reload_not_applied");
    expect(classifyFailure({ phase: "verify", summary: "Traffic did not reach green through nginx within 10 s" })).toBe(
      "reload_not_applied",
    );
    expect(classifyFailure({ phase: "start_target", summary: "connect ENOENT /var/run/docker.sock" })).toBe(
      "docker_unreachable",
    );
    expect(classifyFailure({ phase: "watch", summary: "error rate 4% over 1%" })).toBeNull();
  });

  it("preflight failures are named by the check that failed", () => {
    const checks = (id: string, detail = "") => ({
      checks: [
        { id: "live_container", status: "pass" },
        { id, status: "fail", detail },
      ],
    });
    expect(
      classifyFailure({ phase: "preflight", summary: "Preflight failed: ...", detail: checks("target_image") }),
    ).toBe("image_missing");
    expect(classifyFailure({ phase: "preflight", summary: "Preflight failed: ...", detail: checks("disk") })).toBe(
      "disk_low",
    );
    expect(classifyFailure({ phase: "preflight", summary: "Preflight failed: ...", detail: checks("nginx") })).toBe(
      "nginx_config_invalid",
    );
    expect(
      classifyFailure({ phase: "preflight", summary: "Preflight failed: ...", detail: checks("test_report") }),
    ).toBe("tests_failed");
    expect(
      classifyFailure({
        phase: "preflight",
        summary: "Preflight failed: ...",
        detail: checks("live_logs", "connect ECONNREFUSED /var/run/docker.sock"),
      }),
    ).toBe("docker_unreachable");
  });

  it("a deployment's failure is its last failed step, cleanup and aborts aside, with what the app said", () => {
    const answer = { status: 503, body: '{"status":"unhealthy"}', bodyTruncated: false, logs: "line\n" };
    const steps = [
      { phase: "preflight", status: "passed", summary: "9 checks passed" },
      {
        phase: "migrate",
        status: "failed",
        summary: "The migration would break the live release, so it was not applied",
        detail: { rehearsal: { ok: false, answer } },
      },
      { phase: "cleanup", status: "failed", summary: "could not remove the target" },
    ];
    expect(failureOf(steps)).toMatchObject({ kind: "migration_breaks_n1", phase: "migrate", answer });
    expect(failureOf([{ phase: "health", status: "failed", summary: "Aborted by a release manager." }])).toBeNull();
    expect(failureOf([{ phase: "health", status: "passed" }])).toBeNull();
  });

  it("finds a failed smoke test's answer among the results and joins the step's log lines to it", () => {
    const detail = {
      results: [{ ok: true }, { ok: false, answer: { status: 500, body: "boom" } }],
      logs: "last lines",
    };
    expect(answerOf(detail)).toEqual({ status: 500, body: "boom", logs: "last lines" });
    expect(answerOf({ attempts: 3 })).toBeUndefined();
  });

  it("adds the next step to a reason", () => {
    expect(withNextStep("failed: disk", explainFailure("disk_low"))).toBe(
      "failed: disk. Next step: Free disk space on the host (old images, backups, logs), then deploy again.",
    );
    expect(withNextStep("aborted by ada", null)).toBe("aborted by ada");
  });
});
