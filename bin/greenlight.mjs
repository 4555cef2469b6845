#!/usr/bin/env node
// Greenlight's command line for CI: plain Node ESM with fetch, so it runs without a build or dependencies.
import fs from "node:fs";
import { parseArgs } from "node:util";

const USAGE = `Usage:
  greenlight deploy --service <name> --image <repo:tag> [--version <v>] [--auto-promote] [--wait]
                    [--notes <file.md>] [--test-report <junit.xml>] [--override-failed-tests "<why>"]
  greenlight status <deployment-id>
  greenlight promote <deployment-id> [--wait]
  greenlight retry-switch <deployment-id> [--wait]   (its switch failed on nginx; the target was kept)
  greenlight rollback --service <name> --reason "<why>" [--wait]
  greenlight release-lock --service <name> --reason "<why>"   (admin token; a lock whose holder died)

Options:
  --url <url>          Greenlight's address (default $GREENLIGHT_URL or http://127.0.0.1:3100)
  --token-env <NAME>   environment variable holding the API token (default GREENLIGHT_TOKEN)
  --timeout <seconds>  give up following after this long (default 1800)
  --lost-contact <s>   how long to keep reconnecting when Greenlight stops answering (default 120)

--notes attaches release notes (Markdown) and --test-report the release's JUnit XML report; a report with failed
tests blocks the release at preflight unless --override-failed-tests gives a release manager's reason (audited).

deploy follows the phases as they pass; its last line is the verdict, "succeeded: ...", "failed: ...",
"rolled back: ..." or "aborted: ...". Exit codes:
  0  the deployment succeeded, or reached the promotion gate without --wait (--wait follows through it)
  1  it failed, was aborted, expired at the gate or was rolled back, or its switch failed on nginx
     (the target is kept for a while: fix nginx, then greenlight retry-switch <id>)
  2  bad usage, or Greenlight refused the request
  3  --timeout passed before the deployment ended
  4  lost contact: Greenlight did not answer for --lost-contact seconds (the last line says what was last known)
A dropped connection or an empty or cut-short answer is never taken for success: the CLI reconnects and
follows the deployment by its id until its verdict.`;

const BEFORE_SWITCH = new Set(["pull", "preflight", "backup", "start_target", "migrate", "health", "smoke", "gate"]);
const REQUEST_DONE = new Set(["executed", "failed", "rejected", "expired", "superseded"]);

const EXIT = { ok: 0, bad: 1, refused: 2, timeout: 3, lostContact: 4 };

class CliError extends Error {
  constructor(message, code = EXIT.refused) {
    super(message);
    this.exitCode = code;
  }
}

/** Greenlight did not answer, or its answer was empty or cut short: nothing is known, so nothing is concluded. */
class NoAnswer extends Error {}

function options(argv) {
  if (argv.some((a) => a === "--token" || a.startsWith("--token=")))
    throw new CliError("Tokens are read from the environment only (see --token-env), never from the command line.");
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      service: { type: "string" },
      image: { type: "string" },
      version: { type: "string" },
      reason: { type: "string" },
      notes: { type: "string" },
      "test-report": { type: "string" },
      "override-failed-tests": { type: "string" },
      "auto-promote": { type: "boolean", default: false },
      wait: { type: "boolean", default: false },
      url: { type: "string" },
      "token-env": { type: "string", default: "GREENLIGHT_TOKEN" },
      timeout: { type: "string", default: "1800" },
      "lost-contact": { type: "string", default: "120" },
      interval: { type: "string", default: "1000" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const timeoutS = Number(values.timeout);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0)
    throw new CliError("--timeout must be a positive number of seconds.");
  const lostS = Number(values["lost-contact"]);
  if (!Number.isFinite(lostS) || lostS <= 0) throw new CliError("--lost-contact must be a positive number of seconds.");
  return {
    ...values,
    positionals,
    timeoutMs: timeoutS * 1000,
    lostContactMs: lostS * 1000,
    intervalMs: Math.max(100, Number(values.interval) || 1000),
  };
}

function client(opts) {
  const base = (opts.url ?? process.env.GREENLIGHT_URL ?? "http://127.0.0.1:3100").replace(/\/$/, "");
  const token = process.env[opts["token-env"]];
  if (!token)
    throw new CliError(
      `Set ${opts["token-env"]} to an API token (an admin creates one on the Settings page of the console).`,
    );
  /** Resolves with a parsed JSON answer; NoAnswer when there was none worth reading, CliError when refused. */
  async function request(method, path, body, timeoutMs = 30_000) {
    let res;
    let text;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: "application/json",
          ...(body ? { "content-type": "application/json" } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await res.text();
    } catch (error) {
      throw new NoAnswer(`no answer from ${base} (${error.cause?.code ?? error.name ?? error.message})`);
    }
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      // a cut-short or non-JSON body is no answer at all
    }
    if (res.status >= 500 || (res.ok && data === null))
      throw new NoAnswer(
        `${res.status} ${data === null ? "with an empty or unreadable body" : (data.error?.code ?? res.statusText)} from ${base}`,
      );
    if (!res.ok) {
      const e = data?.error;
      const holder = e?.holder ? ` (lock held by ${e.holder.holder}: ${e.holder.reason})` : "";
      const said = `${res.status} ${e?.code ?? res.statusText}: ${e?.message ?? "no details"}${holder}`;
      throw new CliError(
        e?.failure?.nextStep ? `${said.replace(/[.\s]*$/, "")}. Next step: ${e.failure.nextStep}` : said,
      );
    }
    return { status: res.status, data };
  }
  request.base = base;
  return request;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const seconds = (s) => (s.endedAt && s.startedAt ? ` (${((s.endedAt - s.startedAt) / 1000).toFixed(1)} s)` : "");
const MARK = { passed: "ok  ", warning: "warn", failed: "FAIL", skipped: "skip", running: "... " };
const isSnapshot = (data) => typeof data?.deployment?.status === "string" && Array.isArray(data.steps);

/**
 * A pull under way as one line: rewritten in place on a terminal, a few milestones (25, 50, 75, 100 %) elsewhere.
 * Called with each poll's `pull` (null once no pull runs), before the phase lines, so it ends its line first.
 */
function pullProgressPrinter(out = process.stdout) {
  let shown = false;
  let milestone = 0;
  const show = (pull) => {
    if (!pull) {
      if (shown && out.isTTY) out.write("\n");
      shown = false;
      milestone = 0;
      return;
    }
    const mb = (n) => (n / 1e6).toFixed(1);
    const line = `  pulling ${pull.image}: ${pull.percent}% (${mb(pull.done)} of ${mb(pull.total)} MB, ${pull.layers.length} layer(s))`;
    if (out.isTTY) {
      out.write(`\r${line}\x1b[K`);
      shown = true;
    } else if (Math.floor(pull.percent / 25) * 25 > milestone || (!shown && pull.total > 0)) {
      milestone = Math.floor(pull.percent / 25) * 25;
      shown = true;
      out.write(`${line}\n`);
    }
  };
  /** Before another line is printed: the progress line is wiped on a terminal, and redrawn by the next `show`. */
  show.clear = () => {
    if (shown && out.isTTY) out.write("\r\x1b[K");
    if (out.isTTY) shown = false;
  };
  return show;
}

/** The one last line: `succeeded|failed|rolled back|aborted: <reason>`, on stdout for success, stderr otherwise. */
function verdict(code, word, reason) {
  (code === EXIT.ok ? console.log : console.error)(`${word}: ${reason}`);
  return code;
}

/** What a failed deployment's record says about its kind, the app's answer and the next step, before the verdict. */
function explain(failure) {
  if (!failure) return;
  console.error(`  ${failure.title}: ${failure.explanation}`);
  const a = failure.answer;
  if (a) {
    const body = a.body.replace(/\s+/g, " ").trim();
    console.error(
      `  The app answered ${a.status ?? "nothing"}${body ? `: ${body.slice(0, 300)}${body.length > 300 || a.bodyTruncated ? " ..." : ""}` : ""}`,
    );
    const logs = (a.logs ?? "").trim().split("\n").filter(Boolean).slice(-5);
    if (logs.length > 0)
      console.error(`  Its last log lines:\n${logs.map((l) => `    ${l.slice(0, 300)}`).join("\n")}`);
  }
  console.error(`  Next step: ${failure.nextStep}`);
}

function finalVerdict(data) {
  const dep = data.deployment;
  const id = dep.id;
  switch (dep.status) {
    case "succeeded":
      return verdict(
        EXIT.ok,
        "succeeded",
        `${dep.service} ${dep.version} serves from ${dep.toSlot} (deployment ${id}).`,
      );
    case "failed":
      explain(data.failure);
      return verdict(EXIT.bad, "failed", `${dep.error ?? "no reason recorded"} (deployment ${id})`);
    case "rolled_back":
      return verdict(
        EXIT.bad,
        "rolled back",
        `${dep.rollbackReason ?? dep.error ?? "no reason recorded"} (deployment ${id}; ${dep.fromSlot ?? "the previous colour"} serves again)`,
      );
    case "switch_failed":
      // Not moving until a person acts: for a pipeline this deployment did not happen (yet).
      explain(data.failure);
      return verdict(
        EXIT.bad,
        "failed",
        `${dep.error ?? "the switch failed"}; the target is kept${dep.keptUntil ? ` until ${new Date(dep.keptUntil).toISOString().slice(11, 16)} UTC` : ""}: fix nginx, then greenlight retry-switch ${id} (deployment ${id})`,
      );
    case "aborted":
      return verdict(EXIT.bad, "aborted", `${dep.error ?? "no reason recorded"} (deployment ${id})`);
    case "expired":
      return verdict(
        EXIT.bad,
        "aborted",
        dep.keptUntil
          ? `expired after a failed switch: ${dep.error ?? "nobody retried the switch in time"} (deployment ${id})`
          : `expired at the promotion gate: ${dep.error ?? "nobody promoted it in time"} (deployment ${id})`,
      );
    default:
      return null;
  }
}

const lastKnown = (data) =>
  data
    ? `${data.deployment.id} was ${data.deployment.status.replace("_", " ")} in ${data.deployment.phase}`
    : "nothing yet";

/**
 * Polls the deployment, printing each phase once as it starts and once as it ends, until its verdict. A missing,
 * empty or cut-short answer is no news: it reconnects (Greenlight may be restarting) and only after lostContactMs
 * without an answer gives up, with its own exit code and what it last knew.
 */
async function follow(request, id, opts, { throughGate, quietDone = false }) {
  const seen = new Map();
  const deadline = Date.now() + opts.timeoutMs;
  let gateShown = false;
  const showPull = pullProgressPrinter();
  let lastAnswerAt = Date.now();
  let last = null;
  let lost = null;
  for (;;) {
    let data = null;
    try {
      ({ data } = await request(
        "GET",
        `/api/v1/deployments/${encodeURIComponent(id)}`,
        undefined,
        Math.min(15_000, opts.lostContactMs),
      ));
      if (!isSnapshot(data)) throw new NoAnswer("an answer without the deployment's state");
    } catch (error) {
      if (!(error instanceof NoAnswer)) throw error;
      if (!lost) console.log(`  lost contact with Greenlight (${error.message}); reconnecting to follow ${id}...`);
      lost = error.message;
      if (Date.now() - lastAnswerAt >= opts.lostContactMs)
        return verdict(
          EXIT.lostContact,
          "aborted",
          `lost contact with Greenlight at ${request.base} for ${Math.round((Date.now() - lastAnswerAt) / 1000)} s (${lost}); last known: ${lastKnown(last)}. Its outcome is unknown: greenlight status ${id}`,
        );
      if (Date.now() > deadline)
        return verdict(
          EXIT.timeout,
          "aborted",
          `gave up following ${id} after ${opts.timeoutMs / 1000} s (--timeout) without contact; last known: ${lastKnown(last)}.`,
        );
      await sleep(opts.intervalMs);
      continue;
    }
    if (lost) console.log(`  reconnected to Greenlight after ${Math.round((Date.now() - lastAnswerAt) / 1000)} s`);
    lost = null;
    lastAnswerAt = Date.now();
    last = data;
    if (quietDone && seen.size === 0)
      for (const step of data.steps) if (BEFORE_SWITCH.has(step.phase)) seen.set(`${step.id}`, step.status);
    // Preflight and the backup run beside the pull: their lines go above its progress line.
    for (const step of data.steps) {
      const key = `${step.id}`;
      if (seen.get(key) === step.status) continue;
      if (step.status !== "running" || !seen.has(key)) {
        showPull.clear();
        console.log(
          `  ${MARK[step.status] ?? step.status} ${step.phase}${seconds(step)}${step.summary ? `  ${step.summary}` : ""}`,
        );
      }
      seen.set(key, step.status);
    }
    showPull(data.pull ?? null);
    const dep = data.deployment;
    const final = finalVerdict(data);
    if (final !== null) return final;
    if (dep.status === "awaiting_promotion") {
      if (!throughGate)
        return verdict(
          EXIT.ok,
          "succeeded",
          `${dep.service} ${dep.version} passed every check and waits for promotion: greenlight promote ${id}`,
        );
      if (!gateShown) console.log(`  waiting for someone to promote ${id}...`);
      gateShown = true;
    }
    if (Date.now() > deadline)
      return verdict(
        EXIT.timeout,
        "aborted",
        `gave up following ${id} after ${opts.timeoutMs / 1000} s (--timeout); it is ${dep.status.replace("_", " ")} in ${dep.phase}.`,
      );
    await sleep(opts.intervalMs);
  }
}

function done(code, message) {
  (code === 0 ? console.log : console.error)(message);
  return code;
}

/** A request that changes something: without an answer nobody knows whether it took effect, which is said as such. */
async function send(request, method, path, body, what) {
  try {
    return await request(method, path, body, 120_000);
  } catch (error) {
    if (error instanceof NoAnswer)
      throw new CliError(
        `lost contact with Greenlight while asking to ${what} (${error.message}); whether it took effect is unknown: check the console or greenlight status.`,
        EXIT.lostContact,
      );
    throw error;
  }
}

/** The limits Greenlight applies (lib/release/limits.ts), checked here so nothing is sent that would be refused. */
const MAX_TEST_REPORT_BYTES = 2 * 1024 * 1024;
const MAX_NOTES_CHARS = 64 * 1024;

/** Reads a file named by a flag before anything is sent; a missing, unreadable or oversized one stops the command. */
function attachedFile(flag, file, maxBytes) {
  if (file === undefined) return undefined;
  let stat;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    throw new CliError(
      `${flag} ${file}: ${error.code === "ENOENT" ? "no such file" : `cannot read it (${error.code ?? error.message})`}; nothing was sent.`,
    );
  }
  if (!stat.isFile()) throw new CliError(`${flag} ${file}: not a regular file; nothing was sent.`);
  if (stat.size > maxBytes)
    throw new CliError(`${flag} ${file}: ${stat.size} bytes, at most ${maxBytes} are accepted; nothing was sent.`);
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new CliError(`${flag} ${file}: cannot read it (${error.code ?? error.message}); nothing was sent.`);
  }
}

function releaseAttachments(opts) {
  const notes = attachedFile("--notes", opts.notes, MAX_NOTES_CHARS * 4);
  if (notes !== undefined && notes.length > MAX_NOTES_CHARS)
    throw new CliError(
      `--notes ${opts.notes}: ${notes.length} characters, at most ${MAX_NOTES_CHARS}; nothing was sent.`,
    );
  const testReport = attachedFile("--test-report", opts["test-report"], MAX_TEST_REPORT_BYTES);
  const override = opts["override-failed-tests"];
  if (override !== undefined && testReport === undefined)
    throw new CliError("--override-failed-tests needs --test-report: only a report with failures can be overridden.");
  return {
    ...(notes !== undefined ? { notes } : {}),
    ...(testReport !== undefined ? { testReport } : {}),
    ...(override !== undefined ? { testFailureOverride: override } : {}),
  };
}

const commands = {
  async deploy(opts) {
    if (!opts.service || !opts.image) throw new CliError("deploy needs --service and --image.");
    const attachments = releaseAttachments(opts);
    const request = client(opts);
    const body = {
      image: opts.image,
      ...(opts.version ? { version: opts.version } : {}),
      ...(opts["auto-promote"] ? { autoPromote: true } : {}),
      ...attachments,
    };
    const { data } = await send(
      request,
      "POST",
      `/api/v1/services/${encodeURIComponent(opts.service)}/deployments`,
      body,
      `deploy ${opts.image}`,
    );
    if (data.noop) return verdict(EXIT.ok, "succeeded", `nothing to do: ${data.message}`);
    if (typeof data.id !== "string")
      throw new CliError(
        `Greenlight's answer names no deployment; check the console for ${opts.service}.`,
        EXIT.lostContact,
      );
    console.log(`Deployment ${data.id}: ${opts.service} ${data.version} to ${data.toSlot}`);
    return follow(request, data.id, opts, { throughGate: opts.wait });
  },
  async status(opts) {
    const id = opts.positionals[1];
    if (!id) throw new CliError("status needs a deployment id.");
    const { data } = await client(opts)("GET", `/api/v1/deployments/${encodeURIComponent(id)}`).catch((error) => {
      throw error instanceof NoAnswer ? new CliError(`Cannot read ${id}: ${error.message}`, EXIT.lostContact) : error;
    });
    if (!isSnapshot(data))
      throw new CliError(`Greenlight's answer for ${id} holds no deployment state.`, EXIT.lostContact);
    const dep = data.deployment;
    console.log(
      `${dep.id} ${dep.service} ${dep.version}: ${dep.status} (phase ${dep.phase})${dep.error ? ` - ${dep.error}` : ""}`,
    );
    for (const s of data.steps)
      console.log(`  ${MARK[s.status] ?? s.status} ${s.phase}${seconds(s)}${s.summary ? `  ${s.summary}` : ""}`);
    // A finished deployment ends with its verdict, as deploy would have; one still moving just shows where it is.
    return finalVerdict(data) ?? EXIT.ok;
  },
  async promote(opts) {
    const id = opts.positionals[1];
    if (!id) throw new CliError("promote needs a deployment id.");
    const request = client(opts);
    await send(request, "POST", `/api/v1/deployments/${encodeURIComponent(id)}/promote`, undefined, `promote ${id}`);
    console.log(`Promoted ${id}; switching traffic.`);
    // The phases before the gate were already shown by deploy; only what follows the promotion is news.
    return opts.wait ? follow(request, id, opts, { throughGate: true, quietDone: true }) : 0;
  },
  async "retry-switch"(opts) {
    const id = opts.positionals[1];
    if (!id) throw new CliError("retry-switch needs a deployment id.");
    const request = client(opts);
    const path = `/api/v1/deployments/${encodeURIComponent(id)}/retry-switch`;
    await send(request, "POST", path, undefined, `retry the switch of ${id}`);
    console.log(`Retrying the switch of ${id}: health and smoke again, then the switch.`);
    return opts.wait ? follow(request, id, opts, { throughGate: true, quietDone: true }) : 0;
  },
  async rollback(opts) {
    if (!opts.service || !opts.reason) throw new CliError('rollback needs --service and --reason "why".');
    const request = client(opts);
    const { data } = await send(
      request,
      "POST",
      `/api/v1/services/${encodeURIComponent(opts.service)}/rollback-requests`,
      { reason: opts.reason },
      `roll back ${opts.service}`,
    );
    const id = data.request.id;
    console.log(
      `Rollback request ${id} for ${opts.service} waits for approval by a release manager or admin (expires ${new Date(data.request.expiresAt).toISOString()}).`,
    );
    if (!opts.wait) return 0;
    const deadline = Date.now() + opts.timeoutMs;
    let lastAnswerAt = Date.now();
    while (Date.now() < deadline) {
      await sleep(opts.intervalMs);
      let list;
      try {
        list = await request(
          "GET",
          `/api/v1/services/${encodeURIComponent(opts.service)}/rollback-requests`,
          undefined,
          15_000,
        );
        if (!Array.isArray(list.data?.requests)) throw new NoAnswer("an answer without the requests");
      } catch (error) {
        if (!(error instanceof NoAnswer)) throw error;
        if (Date.now() - lastAnswerAt >= opts.lostContactMs)
          return verdict(
            EXIT.lostContact,
            "aborted",
            `lost contact with Greenlight while waiting on ${id} (${error.message}); its outcome is unknown.`,
          );
        continue;
      }
      lastAnswerAt = Date.now();
      const req = list.data.requests.find((r) => r.id === id);
      if (req && REQUEST_DONE.has(req.status)) {
        const reason = `rollback request ${id} ${req.status}${req.decidedBy ? ` by ${req.decidedBy}` : ""}: ${req.result ?? req.decisionReason ?? ""}`;
        return req.status === "executed"
          ? verdict(EXIT.ok, "rolled back", reason)
          : verdict(EXIT.bad, req.status === "failed" ? "failed" : "aborted", reason);
      }
    }
    return verdict(
      EXIT.timeout,
      "aborted",
      `gave up waiting for a decision on ${id} after ${opts.timeoutMs / 1000} s (--timeout).`,
    );
  },
  async "release-lock"(opts) {
    if (!opts.service || !opts.reason) throw new CliError('release-lock needs --service and --reason "why".');
    const { data } = await client(opts)(
      "POST",
      `/api/v1/services/${encodeURIComponent(opts.service)}/deploy-lock/release`,
      { reason: opts.reason },
    );
    const held = data.released;
    return done(
      0,
      `Released the deploy lock of ${data.service}: it was held by ${held.holder} (${held.reason}) since ${new Date(held.acquiredAt).toISOString()}.`,
    );
  },
};

async function main(argv) {
  const opts = options(argv);
  const command = opts.positionals[0];
  if (opts.help) return done(0, USAGE);
  const run = command ? commands[command] : undefined;
  if (!run) {
    console.error(USAGE);
    throw new CliError(
      command ? `unknown command "${command}"; see the usage above.` : "no command given; see the usage above.",
    );
  }
  return run(opts);
}

// Node ends a process with code 0 when its event loop empties, even with this promise pending (a fetch's timeout
// timer does not keep the loop alive). This timer does, and the handler below makes any such end a loud failure.
const keepAlive = setInterval(() => {}, 60_000);
let settled = false;
process.on("beforeExit", () => {
  if (settled) return;
  settled = true;
  console.error("aborted: the command ended without a verdict; the deployment's outcome is unknown to this command.");
  process.exit(EXIT.lostContact);
});

main(process.argv.slice(2)).then(
  (code) => {
    settled = true;
    clearInterval(keepAlive);
    process.exit(code);
  },
  (error) => {
    settled = true;
    clearInterval(keepAlive);
    console.error(`aborted: ${error instanceof CliError ? error.message : `greenlight: ${error.message}`}`);
    process.exit(error instanceof CliError ? error.exitCode : EXIT.refused);
  },
);
