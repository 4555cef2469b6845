/**
 * The failures a release manager meets, each with what it means and what to do next. Pure data and functions: the
 * deployment page, the API (and so the CLI) and the notifications all show the same words.
 */
export const FAILURE_KINDS = {
  image_missing: {
    title: "Image missing",
    explanation: "The release's image is not on the Docker host, so there was nothing to start.",
    nextStep: "Build or pull the image on the host (check the tag for typos), then deploy again.",
  },
  wrong_version: {
    title: "Wrong version",
    explanation:
      "The new container answers healthy but reports another version than the release: the image behind the tag is not the build you meant.",
    nextStep:
      "Check the tag points at the right build (rebuild or re-push it), or pass the version the image really reports; then deploy again.",
  },
  never_healthy: {
    title: "Never healthy",
    explanation:
      "The new container did not answer its health check as healthy before the deadline, or exited or kept restarting.",
    nextStep:
      "Read the app's answer and its last log lines below, fix the release or its configuration, then deploy again.",
  },
  smoke_failed: {
    title: "Smoke test failed",
    explanation:
      "The new container is healthy but at least one declared smoke test got a wrong status or was too slow.",
    nextStep:
      "Read the failing request's answer below, fix the release (or the smoke test if it is wrong), then deploy again.",
  },
  migration_breaks_n1: {
    title: "Migration breaks the live release",
    explanation:
      "On a copy of the database with the new migrations, the release that serves now stops working; the real database was not touched.",
    nextStep:
      "Make the migration expand-only (add, never rename or drop what the live release reads) and ship the removal in a later release.",
  },
  migration_failed: {
    title: "Migration failed",
    explanation: "A migration did not apply; it ran in one transaction, so the database is exactly as it was before.",
    nextStep: "Fix the SQL of the failing migration (try it on a copy of the backup), then deploy again.",
  },
  nginx_config_invalid: {
    title: "nginx configuration invalid",
    explanation:
      "`nginx -t` refuses nginx's configuration, so Greenlight did not reload it; the live colour keeps serving.",
    nextStep: "Run `nginx -t` on the host, fix the file it names, then deploy again.",
  },
  reload_not_applied: {
    title: "Reload not applied",
    explanation: "nginx accepted the new configuration but traffic through nginx did not reach the new colour in time.",
    nextStep:
      "Check that nginx is running and includes Greenlight's upstream directory, and that nothing else answers on its port; then deploy again.",
  },
  haproxy_config_invalid: {
    title: "HAProxy configuration invalid",
    explanation:
      "`haproxy -c` refuses the configuration HAProxy would load on its next restart or reload, so Greenlight changed nothing; the live colour keeps serving.",
    nextStep: "Run `haproxy -c -f` on the service's HAProxy configuration, fix what it names, then deploy again.",
  },
  haproxy_refused: {
    title: "HAProxy refused the change",
    explanation:
      "HAProxy's runtime API was not reachable, or it refused a server command (an unknown backend or server); the previous weights are back and the live colour keeps serving.",
    nextStep:
      "Check that HAProxy runs with an admin-level `stats socket` at the configured path and declares the configured backend and servers; then deploy again.",
  },
  docker_unreachable: {
    title: "Docker engine unreachable",
    explanation: "Greenlight could not talk to the Docker engine, so it could not start or inspect containers.",
    nextStep: "Start or repair the Docker engine (is its socket there, does `docker info` answer?), then deploy again.",
  },
  lock_held: {
    title: "Deploy lock held",
    explanation: "Another deployment of this service holds the lock; only one runs at a time.",
    nextStep:
      "Wait for that deployment to finish, or abort it. A lock whose holder died is closed by the restarted Greenlight's recovery; an admin can also release it at once with Force-release the lock on the service page, giving a reason.",
  },
  disk_low: {
    title: "Disk low",
    explanation:
      "The host has less free disk than the service's preflight minimum, too little for a backup and a new container.",
    nextStep: "Free disk space on the host (old images, backups, logs), then deploy again.",
  },
  tests_failed: {
    title: "Tests failed",
    explanation:
      "The release's own test report, attached when it was started, has failed tests, so preflight stopped it before anything changed.",
    nextStep:
      "Fix the failing tests and deploy the new build, or, as a release manager, start this release again with a reason to go out anyway (the override is audited).",
  },
} as const;

export type FailureKind = keyof typeof FAILURE_KINDS;
export type ExplainedFailure = { kind: FailureKind; title: string; explanation: string; nextStep: string };

export const isFailureKind = (value: unknown): value is FailureKind =>
  typeof value === "string" && Object.hasOwn(FAILURE_KINDS, value);

export function explainFailure(kind: FailureKind): ExplainedFailure {
  return { kind, ...FAILURE_KINDS[kind] };
}

type Failed = { phase: string; summary?: string | null; detail?: unknown };

const PREFLIGHT_CHECK_KINDS: Record<string, FailureKind> = {
  target_image: "image_missing",
  disk: "disk_low",
  nginx: "nginx_config_invalid",
  test_report: "tests_failed",
  haproxy: "haproxy_config_invalid",
};
const DOCKER_DOWN = /docker\.sock|connect (ENOENT|ECONNREFUSED)|docker engine|cannot connect to the docker daemon/i;

/** The kind of a failed step: the one its phase recorded, else what its phase and message show; null when none fits. */
export function classifyFailure({ phase, summary, detail }: Failed): FailureKind | null {
  const d = (detail ?? {}) as { kind?: unknown; checks?: Array<{ id?: string; status?: string; detail?: string }> };
  if (isFailureKind(d.kind)) return d.kind;
  const text = summary ?? "";
  if (phase === "preflight" && Array.isArray(d.checks)) {
    const failed = d.checks.filter((c) => c.status === "fail");
    for (const c of failed) if (c.id && PREFLIGHT_CHECK_KINDS[c.id]) return PREFLIGHT_CHECK_KINDS[c.id]!;
    if (failed.some((c) => DOCKER_DOWN.test(c.detail ?? ""))) return "docker_unreachable";
  }
  if (DOCKER_DOWN.test(text)) return "docker_unreachable";
  if (phase === "health")
    return /reports (version|no )/.test(text) && !/exited|crashing|gone/.test(text) ? "wrong_version" : "never_healthy";
  if (phase === "smoke") return "smoke_failed";
  if (phase === "migrate")
    return /break the live release|no longer works/.test(text) ? "migration_breaks_n1" : "migration_failed";
  if (phase === "switch")
    return /rejected the configuration|nginx -t/i.test(text)
      ? "nginx_config_invalid"
      : /reload|nginx/i.test(text)
        ? "reload_not_applied"
        : null;
  if (phase === "verify") return "reload_not_applied";
  if (phase === "start_target" && /no such image|not found/i.test(text)) return "image_missing";
  return null;
}

type Answer = { status: number | null; body: string; bodyTruncated?: boolean; logs?: string };
export type StepFailure = ExplainedFailure & { phase: string; answer?: Answer };

const isAnswer = (v: unknown): v is Answer =>
  typeof v === "object" && v !== null && typeof (v as Answer).body === "string";

/** What the app said, wherever the phase kept it: its own answer, the rehearsal's, or the first failed smoke test's. */
export function answerOf(detail: unknown): Answer | undefined {
  const d = (detail ?? {}) as Record<string, unknown>;
  for (const v of [
    d.answer,
    (d.rehearsal as Record<string, unknown> | undefined)?.answer,
    (d.compat as Record<string, unknown> | undefined)?.answer,
  ])
    if (isAnswer(v)) return v;
  const results = Array.isArray(d.results) ? (d.results as Array<{ answer?: unknown }>) : [];
  const smoke = results.map((r) => r.answer).find(isAnswer);
  return smoke && typeof d.logs === "string" ? { ...smoke, logs: d.logs } : smoke;
}

/** The failure a deployment ended with: its last failed step (cleanup aside), classified and explained. */
export function failureOf(steps: Array<Failed & { status: string }>): StepFailure | null {
  const failed = steps.filter((s) => s.status === "failed" && s.phase !== "cleanup" && s.phase !== "rollback").at(-1);
  if (!failed || /^Aborted by/.test(failed.summary ?? "")) return null;
  const kind = classifyFailure(failed);
  if (!kind) return null;
  const answer = answerOf(failed.detail);
  return { ...explainFailure(kind), phase: failed.phase, ...(answer && { answer }) };
}

/** One line for people: the reason, then what to do. */
export function withNextStep(reason: string, failure: ExplainedFailure | null): string {
  return failure ? `${reason.replace(/[.\s]*$/, ".")} Next step: ${failure.nextStep}` : reason;
}

/**
 * Failures at the switch that are the load balancer's, not the release's: traffic never moved, so the checked target
 * is kept (status switch_failed) and the next step is to fix the load balancer and retry the switch, not to deploy
 * again.
 */
export const RETRY_SWITCH_STEPS: Partial<Record<FailureKind, string>> = {
  nginx_config_invalid: "Run `nginx -t` on the host and fix the file it names, then Retry the switch",
  reload_not_applied: "Start nginx on the host (or fix why it refused the reload signal), then Retry the switch",
  haproxy_config_invalid: "Run `haproxy -c -f` on HAProxy's configuration and fix what it names, then Retry the switch",
  haproxy_refused: "Start HAProxy (or fix its stats socket, backend or server names), then Retry the switch",
};

/** `14:05 UTC` (with the date when it is not today's). */
export function utcMoment(ms: number, now = Date.now()): string {
  const iso = new Date(ms).toISOString();
  const sameDay = iso.slice(0, 10) === new Date(now).toISOString().slice(0, 10);
  return `${sameDay ? "" : `${iso.slice(0, 10)} `}${iso.slice(11, 16)} UTC`;
}

/** The failure to show with a deployment: a failed one's, or a switch_failed one's with its retry as the next step. */
export function failureOfDeployment(
  dep: { status: string; keptUntil: number | null },
  steps: Array<Failed & { status: string }>,
): StepFailure | null {
  if (dep.status !== "failed" && dep.status !== "switch_failed") return null;
  const failure = failureOf(steps);
  const retry = failure && dep.status === "switch_failed" ? RETRY_SWITCH_STEPS[failure.kind] : undefined;
  if (!failure || !retry) return failure;
  const kept = dep.keptUntil ? ` (the checked target is kept until ${utcMoment(dep.keptUntil)})` : "";
  return { ...failure, nextStep: `${retry}${kept}; health and smoke run again, backup and migration do not.` };
}
