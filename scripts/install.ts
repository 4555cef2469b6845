/**
 * Installs Greenlight as a systemd service on a Debian host, or removes it (scripts/install.sh runs this; its usage
 * is in scripts/install/plan.ts). Every step is listed before it runs, so --dry-run prints exactly what a real run
 * does; a second run with the same options finds everything in place and changes nothing.
 * Exit codes: 0 done, 1 a step failed (the message names it), 2 bad usage (nothing was changed).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ConfigError, loadConfig } from "@/lib/config/load";
import { masterPid, pidFilePath } from "@/lib/nginx/nginx-processes";
import { parseDocument } from "yaml";
import {
  envFileNames,
  fromEnvNames,
  handCommand,
  parseInstallArgs,
  parseUnit,
  purgeable,
  renderEnvFile,
  renderUnit,
  shellWord,
  UNIT_MARKER,
  UNIT_NAME,
  upstreamBackupDir,
  UsageError,
  USAGE,
  type InstallOptions,
  type UninstallOptions,
  type UnitInput,
} from "./install/plan";

type Step = { say: string; run: () => void };

const say = (line: string) => process.stdout.write(`${line}\n`);
const warn = (line: string) => process.stdout.write(`warning: ${line}\n`);

/** A command as an argument array, never through a shell. */
function cmd(file: string, args: string[]): Step {
  return {
    say: [file, ...args].map(shellWord).join(" "),
    run: () => {
      const r = spawnSync(file, args, { encoding: "utf8" });
      if (r.error || r.status !== 0)
        throw new Error(
          `${file} ${args.join(" ")} failed: ${(r.stderr || r.error?.message || `exit ${r.status}`).trim()}`,
        );
    },
  };
}

function succeeds(file: string, args: string[]): boolean {
  const r = spawnSync(file, args, { encoding: "utf8" });
  return !r.error && r.status === 0;
}

function output(file: string, args: string[]): string | null {
  const r = spawnSync(file, args, { encoding: "utf8" });
  return !r.error && r.status === 0 ? r.stdout.trim() : null;
}

const userExists = (user: string) => succeeds("getent", ["passwd", user]);
const groupExists = (group: string) => succeeds("getent", ["group", group]);
/** systemd's own test (sd_booted): is systemd the init system of this machine? */
const systemdRuns = () => fs.existsSync("/run/systemd/system");

/** Writes a file only when its content or mode differs, through a temporary file and a rename. */
function writeFileStep(file: string, text: string, mode: number): Step | null {
  let same = false;
  try {
    same = fs.readFileSync(file, "utf8") === text && (fs.statSync(file).mode & 0o777) === mode;
  } catch {
    // missing: written below
  }
  if (same) return null;
  return {
    say: `write ${file} (mode ${mode.toString(8)})`,
    run: () => {
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
      const tmp = `${file}.tmp-${process.pid}`;
      fs.writeFileSync(tmp, text, { mode });
      fs.chmodSync(tmp, mode);
      fs.renameSync(tmp, file);
    },
  };
}

function ownedStep(dir: string, uid: number, gid: number, mode: number, label: string): Step | null {
  let st: fs.Stats | null = null;
  try {
    st = fs.statSync(dir);
  } catch {
    // missing
  }
  if (st && !st.isDirectory()) throw new UsageError(`${label} ${dir} exists and is not a directory`);
  if (st && st.uid === uid && st.gid === gid && (st.mode & 0o7777) === mode) return null;
  return {
    say: `${st ? "" : "create "}${label} ${dir}, owned by uid ${uid} gid ${gid}, mode ${mode.toString(8)}`,
    run: () => {
      // Parents the installer makes are 755 like /var/lib, so the service account can reach its directory.
      fs.mkdirSync(path.dirname(dir), { recursive: true, mode: 0o755 });
      fs.mkdirSync(dir, { recursive: true, mode });
      fs.chownSync(dir, uid, gid);
      fs.chmodSync(dir, mode);
    },
  };
}

/** Entries under a directory (not following links) whose owner is not uid:gid: Greenlight's data, left by a root run. */
function strangers(dir: string, uid: number, gid: number): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let names: string[];
    try {
      names = fs.readdirSync(d);
    } catch {
      return; // missing: created by its own step
    }
    for (const name of names) {
      const p = path.join(d, name);
      const st = fs.lstatSync(p);
      if (st.uid !== uid || st.gid !== gid) out.push(p);
      if (st.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

type ConfigFacts = { upstreamDir: string; fromEnv: string[]; mainConfig: string; nginxBinary: string };

/** The config's nginx section, through Greenlight's own loader (the same validation the console does at start). */
function readConfig(file: string): ConfigFacts | null {
  if (!fs.existsSync(file)) return null;
  try {
    const config = loadConfig(file);
    const raw: unknown = parseDocument(fs.readFileSync(file, "utf8")).toJS();
    return {
      upstreamDir: config.nginx.upstreamDir,
      mainConfig: config.nginx.mainConfig,
      nginxBinary: config.nginx.binary,
      fromEnv: fromEnvNames(raw),
    };
  } catch (error) {
    if (error instanceof ConfigError)
      throw new UsageError(`${error.message}\nFix ${file} first: the console would refuse it at start.`);
    throw error;
  }
}

function ids(user: string): { uid: number; gid: number; group: string } | null {
  const uid = output("id", ["-u", user]);
  const gid = output("id", ["-g", user]);
  const group = output("id", ["-gn", user]);
  return uid && gid && group ? { uid: Number(uid), gid: Number(gid), group } : null;
}

function install(o: InstallOptions): void {
  if (!o.dryRun && process.getuid?.() !== 0)
    throw new UsageError("install needs root (it creates a user and writes system files); try --dry-run");
  const problems: string[] = [];
  if (!fs.existsSync(path.join(o.prefix, "package.json")))
    problems.push(`--prefix ${o.prefix} is not a Greenlight checkout (no package.json)`);
  else if (!fs.existsSync(path.join(o.prefix, "node_modules/next/dist/bin/next")))
    problems.push(`--prefix ${o.prefix} has no node_modules/next: run \`npm ci\` there first`);
  if (!fs.existsSync(o.node)) problems.push(`--node ${o.node} does not exist`);
  const facts = readConfig(o.config);
  const upstreamDir = o.upstreamDir ?? facts?.upstreamDir;
  if (upstreamDir && !purgeable(upstreamDir))
    problems.push(
      `the config's nginx.upstreamDir ${upstreamDir} is a system directory; give Greenlight's upstreams one of their own`,
    );
  if (!upstreamDir)
    problems.push(
      facts
        ? `the config names no nginx.upstreamDir; pass --upstream-dir`
        : `${o.config} does not exist yet, so the nginx upstream directory is unknown: write the config first or pass --upstream-dir`,
    );
  if (o.upstreamDir && facts?.upstreamDir && o.upstreamDir !== facts.upstreamDir)
    problems.push(
      `--upstream-dir ${o.upstreamDir} is not the config's nginx.upstreamDir (${facts.upstreamDir}), which is the one the console writes: leave --upstream-dir out`,
    );
  if (problems.length > 0) throw new UsageError(problems.join("\n"));
  if (!facts) warn(`${o.config} does not exist yet; the console refuses to start until it does`);
  if (!fs.existsSync(path.join(o.prefix, ".next/BUILD_ID")))
    warn(`${o.prefix} has no production build: run \`npx next build\` there before starting`);
  for (const [what, dir] of [
    ["--prefix", o.prefix],
    ["--data-dir", o.dataDir],
    ["the upstream dir", upstreamDir!],
    ...o.writable.map((d) => ["--writable", d]),
  ])
    if (/^\/(home|root|run\/user)(\/|$)/.test(dir!))
      warn(`${what} ${dir} is under a home directory, which ProtectHome=true hides from the service`);
    else if (/^\/(tmp|var\/tmp)(\/|$)/.test(dir!))
      warn(`${what} ${dir} is under /tmp, which PrivateTmp=true replaces for the service`);

  const steps: Step[] = [];
  const isRoot = o.user === "root";
  if (!isRoot && !userExists(o.user))
    steps.push(
      cmd("useradd", [
        "--system",
        "--user-group",
        "--home-dir",
        o.dataDir,
        "--no-create-home",
        "--shell",
        "/usr/sbin/nologin",
        o.user,
      ]),
    );
  if (!isRoot && groupExists("docker")) {
    const groups = output("id", ["-nG", o.user])?.split(" ") ?? [];
    if (!groups.includes("docker")) steps.push(cmd("usermod", ["--append", "--groups", "docker", o.user]));
  } else if (!isRoot)
    warn("there is no docker group here; the service user must be given access to the Docker socket by hand");

  // The account may not exist before the first step runs: ownership is resolved when those steps run.
  const lazyOwned = (dir: string, mode: number, label: string): Step => ({
    say: `${label} ${dir}: owned by ${o.user}, mode ${mode.toString(8)}`,
    run: () => {
      const who = ids(o.user);
      if (!who) throw new Error(`user ${o.user} does not exist`);
      ownedStep(dir, who.uid, who.gid, mode, label)?.run();
    },
  });
  const who = ids(o.user);
  const owned = (dir: string, mode: number, label: string) => {
    const step = who ? ownedStep(dir, who.uid, who.gid, mode, label) : lazyOwned(dir, mode, label);
    if (step) steps.push(step);
  };
  owned(o.dataDir, 0o750, "data directory");
  // A database from an earlier `npm start` as root would be read-only to the account: the data dir is all Greenlight's.
  // For an account this run creates, every file already there is someone else's (it had no uid before).
  const foreign = who ? strangers(o.dataDir, who.uid, who.gid) : strangers(o.dataDir, -1, -1);
  if (foreign.length > 0)
    steps.push({
      say: `give ${o.user} the ${foreign.length} file(s) in ${o.dataDir} owned by someone else (${foreign.slice(0, 3).join(", ")}${foreign.length > 3 ? ", …" : ""})`,
      run: () => {
        const owner = ids(o.user);
        if (!owner) throw new Error(`user ${o.user} does not exist`);
        foreign.forEach((p) => fs.lchownSync(p, owner.uid, owner.gid));
      },
    });
  owned(upstreamDir!, 0o755, "nginx upstream directory");
  owned(upstreamBackupDir(upstreamDir!), 0o750, "upstream backups directory");

  // The env file holds secrets: created once from a template, never rewritten; only its owner and mode are kept right.
  const envExists = fs.existsSync(o.envFile);
  if (!envExists) {
    const text = renderEnvFile(facts?.fromEnv ?? []);
    steps.push({
      say: `write ${o.envFile} (mode 600, owner root): placeholders for the secrets, to fill in`,
      run: () => {
        fs.mkdirSync(path.dirname(o.envFile), { recursive: true, mode: 0o755 });
        fs.writeFileSync(o.envFile, text, { mode: 0o600, flag: "wx" });
        fs.chownSync(o.envFile, 0, 0);
        fs.chmodSync(o.envFile, 0o600);
      },
    });
  } else {
    const st = fs.statSync(o.envFile);
    if ((st.mode & 0o777) !== 0o600 || st.uid !== 0 || st.gid !== 0)
      steps.push({
        say: `${o.envFile}: owner root, mode 600 (was uid ${st.uid} mode ${(st.mode & 0o777).toString(8)}); its content stays`,
        run: () => {
          fs.chownSync(o.envFile, 0, 0);
          fs.chmodSync(o.envFile, 0o600);
        },
      });
    const missing = (facts?.fromEnv ?? []).filter((n) => !envFileNames(fs.readFileSync(o.envFile, "utf8")).includes(n));
    if (missing.length > 0)
      warn(`${o.envFile} does not set ${missing.join(", ")}, which the config reads ({ fromEnv })`);
  }

  const input: UnitInput = {
    prefix: o.prefix,
    user: o.user,
    group: who?.group ?? o.user,
    port: o.port,
    dataDir: o.dataDir,
    config: o.config,
    envFile: o.envFile,
    node: o.node,
    writable: [upstreamDir!, upstreamBackupDir(upstreamDir!), ...o.writable],
  };
  const unit = renderUnit(input);
  const unitFile = path.join(o.unitDir, UNIT_NAME);
  const unitStep = writeFileStep(unitFile, unit, 0o644);
  if (unitStep) steps.push(unitStep);

  const managed = systemdRuns() && o.unitDir === "/etc/systemd/system";
  // A run that changed nothing leaves a running console alone (no restart in the middle of a deployment).
  const changed = steps.length > 0;
  const startNow = managed && o.start && facts !== null;
  if (managed) {
    if (unitStep) steps.push(cmd("systemctl", ["daemon-reload"]));
    if (o.start) steps.push(cmd("systemctl", ["enable", UNIT_NAME]));
    if (startNow) steps.push(cmd("systemctl", [changed ? "restart" : "start", UNIT_NAME]));
  }

  if (o.dryRun) {
    say(`--dry-run: nothing is changed. ${unitFile} would read:\n`);
    say(unit);
    if (unitStep && fs.existsSync(unitFile)) {
      // What an operator wants before rewriting a running service's unit: the lines that change.
      const diff = spawnSync(
        "diff",
        ["-u", "--label", `${unitFile} (installed)`, "--label", `${unitFile} (new)`, unitFile, "-"],
        {
          input: unit,
          encoding: "utf8",
        },
      );
      say(`Changes to the installed unit:\n${diff.stdout}`);
    }
    say(steps.length > 0 ? "Steps:" : "Nothing to do: everything is in place.");
    steps.forEach((s, i) => say(`  ${i + 1}. ${s.say}`));
    return;
  }
  for (const step of steps) {
    say(`- ${step.say}`);
    step.run();
  }
  if (steps.length === 0) say("Everything was already in place.");
  if (!isRoot) reachable(o, upstreamDir!);
  if (!isRoot && facts?.mainConfig) nginxChecks(o.user, facts.mainConfig, facts.nginxBinary);
  say(
    `Installed ${unitFile} (user ${o.user}, 127.0.0.1:${o.port}, data ${o.dataDir}, config ${o.config}, secrets ${o.envFile}).`,
  );

  if (startNow) return waitReady(o.port);
  const why = !managed
    ? systemdRuns()
      ? `${o.unitDir} is not /etc/systemd/system, so systemd does not read it`
      : "systemd is not running as PID 1 on this machine"
    : !o.start
      ? "--no-start was given"
      : `${o.config} does not exist yet (enabled; start it once the config is written)`;
  say(`Not started: ${why}. With systemd: systemctl daemon-reload && systemctl enable --now ${UNIT_NAME}`);
  say("The same process by hand, as the unit runs it:");
  say(`  ${handCommand(input)}`);
}

/** Checks, as the service account itself, that it can read what the unit points it at and write its directories. */
function reachable(o: InstallOptions, upstreamDir: string): void {
  const checks: Array<[string, string, string]> = [
    ["-r", path.join(o.prefix, "package.json"), "read the checkout"],
    ["-w", o.dataDir, "write the data directory"],
    ["-w", upstreamDir, "write the nginx upstream directory"],
  ];
  if (fs.existsSync(o.config)) checks.push(["-r", o.config, "read the config"]);
  if (fs.existsSync(path.join(o.prefix, ".next/BUILD_ID")))
    checks.push(["-r", path.join(o.prefix, ".next/BUILD_ID"), "read the build"]);
  for (const [flag, file, what] of checks)
    if (!succeeds("runuser", ["-u", o.user, "--", "test", flag, file]))
      warn(`${o.user} cannot ${what} (${file}): give it access along the whole path, or the console will not start`);
}

/**
 * The console runs `nginx -t` and `nginx -s reload` on the config's main config as its own account: that works only
 * when the nginx master runs as that account too (a signal to another user's process is refused) and the account
 * can write nginx's pid file and logs. Said here, where an operator reads it, rather than at the first switch.
 */
function nginxChecks(user: string, mainConfig: string, binary: string): void {
  if (!fs.existsSync(mainConfig)) {
    warn(`nginx's main config ${mainConfig} does not exist yet; the console switches traffic through it`);
    return;
  }
  const uid = output("id", ["-u", user]);
  try {
    const master = masterPid({ binary, mainConfig });
    const owner =
      master === null ? null : /^Uid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${master}/status`, "utf8"))?.[1];
    if (master === null) warn(`no nginx master runs for ${mainConfig} yet (pid file ${pidFilePath(mainConfig)})`);
    else if (owner !== uid)
      warn(
        `the nginx master for ${mainConfig} (pid ${master}) runs as uid ${owner}, not ${user}: the console's \`nginx -s reload\` will be refused. Run that nginx as ${user} (its pid file, logs and temp dirs in a --writable directory), or install with --user root`,
      );
  } catch (error) {
    warn(`cannot read nginx's pid file for ${mainConfig}: ${(error as Error).message}`);
  }
  const test = spawnSync("runuser", ["-u", user, "--", binary, "-t", "-q", "-c", mainConfig], { encoding: "utf8" });
  if (test.error || test.status !== 0)
    warn(`\`nginx -t -c ${mainConfig}\` fails as ${user}: ${(test.stderr || test.error?.message || "").trim()}`);
}

function waitReady(port: number): void {
  const url = `http://127.0.0.1:${port}/api/readyz`;
  say(`Waiting for ${url} (up to 60 s) ...`);
  const deadline = Date.now() + 60_000;
  let last = "no answer";
  while (Date.now() < deadline) {
    const r = spawnSync(process.execPath, ["-e", READYZ_PROBE, url], { encoding: "utf8", timeout: 5_000 });
    last = r.stdout.trim() || last;
    if (last.startsWith("200 ")) {
      say(`Ready: ${last.slice(4)}`);
      return;
    }
    spawnSync("sleep", ["1"]);
  }
  if (last.startsWith("503 ")) {
    say(`Running but not ready after 60 s: ${last.slice(4)}\nIt keeps retrying; see journalctl -u greenlight -e`);
    return;
  }
  throw new Error(`the console did not answer ${url} within 60 s (${last}); see journalctl -u greenlight -e`);
}

const READYZ_PROBE = `fetch(process.argv[1], { signal: AbortSignal.timeout(3000) })
  .then(async (r) => console.log(r.status + " " + (await r.text())))
  .catch((e) => console.log("error " + e.message));`;

function uninstall(o: UninstallOptions): void {
  const unitFile = path.join(o.unitDir, UNIT_NAME);
  if (!fs.existsSync(unitFile)) {
    say(`${unitFile} is not there: nothing to uninstall.`);
    return;
  }
  const text = fs.readFileSync(unitFile, "utf8");
  if (!text.startsWith(UNIT_MARKER))
    throw new UsageError(`${unitFile} was not written by scripts/install.sh; leaving it alone`);
  const unit = parseUnit(text);
  const steps: Step[] = [];
  const managed = systemdRuns() && o.unitDir === "/etc/systemd/system";
  if (managed) {
    steps.push({
      ...cmd("systemctl", ["disable", "--now", UNIT_NAME]),
      run: () => void spawnSync("systemctl", ["disable", "--now", UNIT_NAME]),
    });
  }
  steps.push({ say: `remove ${unitFile}`, run: () => fs.rmSync(unitFile, { force: true }) });
  if (managed) steps.push(cmd("systemctl", ["daemon-reload"]));
  const kept: string[] = [];
  if (o.purge) {
    if (unit.dataDir) {
      if (!purgeable(unit.dataDir))
        throw new UsageError(
          `the unit's data directory ${unit.dataDir} is too near the root to remove; remove it by hand`,
        );
      steps.push({
        say: `remove the data directory ${unit.dataDir} (Greenlight's database and its backups there)`,
        run: () => fs.rmSync(unit.dataDir!, { recursive: true, force: true }),
      });
    }
    if (unit.envFile)
      steps.push({ say: `remove ${unit.envFile}`, run: () => fs.rmSync(unit.envFile!, { force: true }) });
    // Only the account this installer makes: a system account whose home is the data dir and that cannot log in.
    const entry = unit.user && unit.user !== "root" ? output("getent", ["passwd", unit.user]) : null;
    const [, , uid, , , home, shell] = entry?.split(":") ?? [];
    if (entry && home === unit.dataDir && shell === "/usr/sbin/nologin" && Number(uid) > 0)
      steps.push(cmd("userdel", [unit.user!]));
    else if (unit.user && unit.user !== "root") kept.push(`the user ${unit.user} (not one this installer created)`);
  } else {
    if (unit.dataDir) kept.push(`the data directory ${unit.dataDir}`);
    if (unit.envFile) kept.push(`the secrets in ${unit.envFile}`);
    if (unit.user && unit.user !== "root") kept.push(`the user ${unit.user}`);
  }
  if (o.dryRun) {
    say("--dry-run: nothing is changed. Steps:");
    steps.forEach((s, i) => say(`  ${i + 1}. ${s.say}`));
  } else {
    if (process.getuid?.() !== 0) throw new UsageError("uninstall needs root; try --dry-run");
    for (const step of steps) {
      say(`- ${step.say}`);
      step.run();
    }
    say(`Uninstalled ${UNIT_NAME}.`);
  }
  if (kept.length > 0) say(`Kept ${kept.join(", ")}${o.purge ? "" : "; `uninstall --purge` removes them"}.`);
}

function main(): void {
  const prefix = path.resolve(__dirname, "..");
  process.umask(0o022); // the modes below are the ones written, whatever umask sudo left
  let options: InstallOptions | UninstallOptions;
  try {
    if (process.argv.slice(2).some((a) => a === "-h" || a === "--help")) {
      say(USAGE);
      return;
    }
    options = parseInstallArgs(process.argv.slice(2), { prefix, node: process.execPath });
    if (options.command === "install") install(options);
    else uninstall(options);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(
        `install: ${error.message}\nNothing was changed. scripts/install.sh --help lists the options.\n`,
      );
      process.exit(2);
    }
    process.stderr.write(`install: ${(error as Error).message}\n`);
    process.exit(1);
  }
}

main();
