import { checkHealthOnce } from "@/lib/checks/health";
import { freeDiskMb } from "@/lib/checks/disk";
import { runScanner } from "@/lib/checks/scanner";
import { checkMinRows } from "@/lib/appdb/row-counts";
import { containerLogs } from "@/lib/docker/containers";
import { inspectImage, imageHistory } from "@/lib/docker/images";
import { trafficDriver } from "@/lib/traffic";
import { checkChannelsReachable } from "@/lib/notify/reachable";
import { readAttachments } from "@/lib/release/attachments";
import { judgeTestReport } from "@/lib/release/test-report-check";
import { PhaseFailure, slotUrl, type PhaseResult, type PhaseRun } from "../context";
import type { LiveState } from "../live-slot";

export type CheckResult = { id: string; label: string; status: "pass" | "warn" | "fail" | "skip"; detail: string };

/** Settles once the image can be checked (true), or with why it will not be. */
export type ImageReady = Promise<true | string>;

/** Checks of the image wait for `imageReady`; the others ignore it. */
type Check = (run: PhaseRun, live: LiveState | null, imageReady: ImageReady) => Promise<CheckResult>;

const liveContainer: Check = async (run, live) => {
  const label = "Live container running";
  if (!live) return { id: "live_container", label, status: "skip", detail: "no colour serves yet: first deployment" };
  if (!live.container?.running)
    return {
      id: "live_container",
      label,
      status: "fail",
      detail: `${live.slot} has no running container (${live.container?.state ?? "none"})`,
    };
  return {
    id: "live_container",
    label,
    status: "pass",
    detail: `${live.container.name} (${live.container.image}) running since ${live.container.startedAt}`,
  };
};

const liveHealth: Check = async (run, live) => {
  const label = "Live health and version";
  if (!live?.container?.running) return { id: "live_health", label, status: "skip", detail: "no live container" };
  const result = await checkHealthOnce({
    url: `${slotUrl(run.service, live.slot)}${run.service.health.path}`,
    expectedVersion: live.version ?? undefined,
    versionField: run.service.health.versionField,
    requestTimeoutMs: 3000,
  });
  return result.ok
    ? { id: "live_health", label, status: "pass", detail: `${live.slot} healthy, version ${result.version ?? "?"}` }
    : { id: "live_health", label, status: "fail", detail: `${live.slot} ${run.service.health.path}: ${result.reason}` };
};

const appDbRows: Check = async (run) => {
  const label = "App database readable with expected rows";
  const db = run.service.database;
  if (!db) return { id: "app_db", label, status: "skip", detail: "no database declared" };
  try {
    const results = checkMinRows(db.path, db.checks);
    const bad = results.filter((r) => !r.ok);
    const counts = results.map((r) => `${r.table}=${r.rows}`).join(", ") || "readable";
    return bad.length > 0
      ? {
          id: "app_db",
          label,
          status: "fail",
          detail: bad.map((r) => r.reason ?? `${r.table}: ${r.rows} rows, expected at least ${r.minRows}`).join("; "),
        }
      : { id: "app_db", label, status: "pass", detail: counts };
  } catch (error) {
    return { id: "app_db", label, status: "fail", detail: error instanceof Error ? error.message : String(error) };
  }
};

const liveLogs: Check = async (run, live) => {
  const label = "No error lines in recent live logs";
  if (!live?.container) return { id: "live_logs", label, status: "skip", detail: "no live container" };
  const text = await containerLogs(live.container.id, { tail: run.service.preflight.logLines });
  const pattern = new RegExp(run.service.preflight.logErrorPattern, "i");
  const errors = text.split("\n").filter((line) => pattern.test(line));
  // A live release that logs errors is often the reason for a fix-forward: warn, never block.
  return errors.length === 0
    ? { id: "live_logs", label, status: "pass", detail: `last ${run.service.preflight.logLines} lines clean` }
    : {
        id: "live_logs",
        label,
        status: "warn",
        detail: `${errors.length} error line(s), e.g. ${errors[0]!.slice(0, 200)}`,
      };
};

const targetImage: Check = async (run, _live, imageReady) => {
  const label = "Target image present";
  const ready = await imageReady;
  if (ready !== true) return { id: "target_image", label, status: "skip", detail: `not checked: ${ready}` };
  const ref = run.deployment.imageDigest ?? run.deployment.image;
  const image = await inspectImage(ref);
  if (!image)
    return {
      id: "target_image",
      label,
      status: "fail",
      detail: `${ref} is not on this host any more; retry to pull it again`,
    };
  const history = await imageHistory(ref);
  const mb = Math.round(image.size / 1e6);
  return {
    id: "target_image",
    label,
    status: "pass",
    detail: `${run.deployment.image} (${ref}): ${mb} MB, ${history.length} layer(s), built ${image.created}`,
  };
};

const scanner: Check = async (run, _live, imageReady) => {
  const label = "Vulnerability scan";
  const command = run.service.preflight.scanner;
  if (!command) return { id: "scanner", label, status: "skip", detail: "no scanner configured" };
  const ready = await imageReady;
  if (ready !== true) return { id: "scanner", label, status: "skip", detail: `not checked: ${ready}` };
  const result = await runScanner({
    command,
    image: run.deployment.imageDigest ?? run.deployment.image,
    timeoutMs: 120_000,
  });
  return {
    id: "scanner",
    label,
    status: result.ok ? "pass" : "fail",
    detail: result.output.slice(-500) || (result.ok ? "clean" : "failed"),
  };
};

const disk: Check = async (run) => {
  const label = "Free disk";
  const free = await freeDiskMb(run.ctx.dataDir);
  const min = run.service.preflight.minFreeDiskMb;
  return {
    id: "disk",
    label,
    status: free >= min ? "pass" : "fail",
    detail: `${free} MB free, at least ${min} MB required`,
  };
};

const nginxValid: Check = async (run) => {
  const driver = trafficDriver(run.ctx.config, run.service);
  const result = await driver.checkConfig();
  return {
    id: driver.kind,
    label: `${driver.label} configuration valid`,
    status: result.ok ? "pass" : "fail",
    detail: result.ok ? `${driver.kind === "nginx" ? "nginx -t" : "haproxy -c"} ok` : result.output.slice(-500),
  };
};

const channels: Check = async (run) => {
  const label = "Notification channels reachable";
  if (run.service.notifications.length === 0)
    return { id: "channels", label, status: "skip", detail: "no channels configured" };
  const result = await checkChannelsReachable(run.ctx.config, run.service.name);
  // People must still be told, but a dead webhook never blocks a release.
  return { id: "channels", label, status: result.ok ? "pass" : "warn", detail: result.detail };
};

const testReport: Check = async (run) => ({
  id: "test_report",
  label: "Release's own tests",
  ...judgeTestReport(readAttachments(run.ctx.db, run.deployment.id)),
});

const CHECKS: Check[] = [
  testReport,
  liveContainer,
  liveHealth,
  appDbRows,
  liveLogs,
  targetImage,
  scanner,
  disk,
  nginxValid,
  channels,
];

const IMAGE_CHECKS = new Set<Check>([targetImage, scanner]);

/**
 * Every check at once (they only read), in the table's order in the result. The image's checks wait for the pull,
 * which runs beside this phase, unless another check fails first: then the phase fails without waiting for the
 * download. `onHostChecked` hears as soon as the other checks are judged. Without `imageReady` the image is taken as
 * already there.
 */
export async function preflight(
  run: PhaseRun,
  live: LiveState | null,
  imageReady: ImageReady = Promise.resolve(true),
  onHostChecked: (passed: boolean) => void = () => undefined,
): Promise<PhaseResult> {
  let failedFirst: (why: string) => void = () => undefined;
  const ready = Promise.race([imageReady, new Promise<string>((resolve) => (failedFirst = resolve))]);
  const judge = async (check: Check): Promise<CheckResult> => {
    const result = await check(run, live, ready).catch((error: unknown): CheckResult => ({
      id: check.name,
      label: check.name,
      status: "fail",
      detail: error instanceof Error ? error.message : String(error),
    }));
    if (result.status === "fail") failedFirst(`${result.label} failed first`);
    return result;
  };
  const judging = CHECKS.map((check) => ({ check, result: judge(check) }));
  // What the backup waits for: every check of the host, the live colour and the database, not those of the new image.
  void Promise.all(judging.filter((j) => !IMAGE_CHECKS.has(j.check)).map((j) => j.result)).then((host) =>
    onHostChecked(host.every((c) => c.status !== "fail")),
  );
  const checks = await Promise.all(judging.map((j) => j.result));
  const failed = checks.filter((c) => c.status === "fail");
  if (failed.length > 0)
    throw new PhaseFailure(`Preflight failed: ${failed.map((c) => `${c.label}: ${c.detail}`).join("; ")}`, { checks });
  const warned = checks.filter((c) => c.status === "warn");
  return {
    status: warned.length > 0 ? "warning" : "passed",
    summary: `${checks.filter((c) => c.status === "pass").length} checks passed${warned.length ? `, ${warned.length} warning(s)` : ""}`,
    detail: { checks },
  };
}
