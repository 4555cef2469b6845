/**
 * What `scripts/install.sh` writes, as pure functions: the command line it accepts, the systemd unit and the
 * environment file. scripts/install.ts does the writing; tests/install/ runs both for real.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { SERVER_NODE_OPTIONS } from "../stack/server-options";

export const UNIT_NAME = "greenlight.service";
/** The first line of every unit the installer writes; uninstall removes only a unit that carries it. */
export const UNIT_MARKER = "# Written by Greenlight's scripts/install.sh; run it again to change this file.";

export const DEFAULTS = {
  user: "greenlight",
  port: 3100,
  dataDir: "/var/lib/greenlight",
  config: "/etc/greenlight/greenlight.yaml",
  envFile: "/etc/greenlight/greenlight.env",
  unitDir: "/etc/systemd/system",
} as const;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export const USAGE = `usage: scripts/install.sh [install] [options]
       scripts/install.sh uninstall [--purge] [--unit-dir DIR] [--dry-run]

install options (defaults in brackets):
  --prefix DIR        the Greenlight checkout with its build the unit runs [the checkout this script is in]
  --user NAME         the account the console runs as, created when missing; root is allowed [${DEFAULTS.user}]
  --port N            next start listens on 127.0.0.1:N [${DEFAULTS.port}]
  --data-dir DIR      GREENLIGHT_DATA_DIR, Greenlight's database and backups [${DEFAULTS.dataDir}]
  --config FILE       GREENLIGHT_CONFIG, greenlight.yaml [${DEFAULTS.config}]
  --secrets-file FILE the unit's EnvironmentFile, for secrets, mode 600 (not --env-file: Node 20 takes that
                      flag for itself wherever it appears) [${DEFAULTS.envFile}]
  --unit-dir DIR      where ${UNIT_NAME} goes [${DEFAULTS.unitDir}]
  --upstream-dir DIR  nginx's upstream directory [nginx.upstreamDir of the config]
  --writable DIR      one more directory the service may write (repeatable), e.g. its own nginx's pid and log dir
  --node FILE         the node binary [the one running this script]
  --no-start          write everything, but neither enable nor start the unit
  --dry-run           print the unit and every step, change nothing
uninstall stops, disables and removes the unit; the data directory, the env file and the user stay unless --purge.`;

/** Paths go into the unit unquoted, and systemd reads %, $, spaces, quotes and backslashes as syntax. */
const SAFE_PATH = /^\/[A-Za-z0-9._/+@-]*$/;
/** Debian's adduser NAME_REGEX for system accounts, at most 32 characters. */
const SAFE_USER = /^[a-z_][a-z0-9_-]{0,31}$/;
/** A directory --purge may remove: never one of these, and at least two levels deep. */
const NEVER_PURGE = new Set([
  "/",
  "/etc",
  "/var",
  "/var/lib",
  "/usr",
  "/opt",
  "/srv",
  "/home",
  "/root",
  "/tmp",
  "/run",
]);

export function safePath(option: string, value: string): string {
  if (!value.startsWith("/")) throw new UsageError(`${option} must be an absolute path; got ${JSON.stringify(value)}`);
  if (!SAFE_PATH.test(value))
    throw new UsageError(
      `${option} may hold only letters, digits and ._/+@- (systemd reads the others as syntax); got ${JSON.stringify(value)}`,
    );
  if (value.split("/").includes(".."))
    throw new UsageError(`${option} must not contain ".."; got ${JSON.stringify(value)}`);
  return path.posix.normalize(value).replace(/(.)\/+$/, "$1");
}

export function safeUser(value: string): string {
  if (!SAFE_USER.test(value))
    throw new UsageError(
      `--user must be a lower-case account name (a-z, 0-9, _ and -, starting with a letter or _, at most 32); got ${JSON.stringify(value)}`,
    );
  return value;
}

/** A directory the service is given (owned, or writable): never a system directory, which chown would take over. */
export function serviceDir(option: string, value: string): string {
  const dir = safePath(option, value);
  if (!purgeable(dir))
    throw new UsageError(
      `${option} ${dir} is a system directory; give Greenlight a directory of its own (two levels deep at least)`,
    );
  return dir;
}

export function purgeable(dir: string): boolean {
  return !NEVER_PURGE.has(dir) && dir.split("/").filter(Boolean).length >= 2;
}

export type InstallOptions = {
  command: "install";
  prefix: string;
  user: string;
  port: number;
  dataDir: string;
  config: string;
  envFile: string;
  unitDir: string;
  upstreamDir?: string;
  writable: string[];
  node: string;
  start: boolean;
  dryRun: boolean;
};

export type UninstallOptions = { command: "uninstall"; unitDir: string; purge: boolean; dryRun: boolean };

export function parseInstallArgs(
  argv: string[],
  defaults: { prefix: string; node: string },
): InstallOptions | UninstallOptions {
  const [first, ...rest] = argv;
  const command = first === "install" || first === "uninstall" ? first : "install";
  const args = first === "install" || first === "uninstall" ? rest : argv;
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify.*$/s, ""));
  }
  const { values, positionals } = parsed;
  if (positionals.length > 0)
    throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])} (commands: install, uninstall)`);
  const given = (names: string[]) => names.filter((n) => values[n as keyof typeof values] !== undefined);
  if (command === "uninstall") {
    const wrong = given([
      "prefix",
      "user",
      "port",
      "data-dir",
      "config",
      "secrets-file",
      "upstream-dir",
      "writable",
      "node",
      "no-start",
    ]);
    if (wrong.length > 0)
      throw new UsageError(
        `uninstall takes only --purge, --unit-dir and --dry-run (it reads the rest from the installed unit); got --${wrong[0]}`,
      );
    return {
      command,
      unitDir: safePath("--unit-dir", values["unit-dir"] ?? DEFAULTS.unitDir),
      purge: values.purge === true,
      dryRun: values["dry-run"] === true,
    };
  }
  if (values.purge) throw new UsageError("--purge belongs to uninstall");
  const prefix = safePath("--prefix", values.prefix ?? defaults.prefix);
  const dataDir = serviceDir("--data-dir", values["data-dir"] ?? DEFAULTS.dataDir);
  if (`${prefix}/`.startsWith(`${dataDir}/`))
    throw new UsageError(
      `--data-dir ${dataDir} holds the checkout ${prefix}; the service account would own its own code`,
    );
  const portText = values.port ?? String(DEFAULTS.port);
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 1 && port <= 65535))
    throw new UsageError(`--port must be a number from 1 to 65535; got ${JSON.stringify(portText)}`);
  return {
    command,
    prefix,
    user: safeUser(values.user ?? DEFAULTS.user),
    port,
    dataDir,
    config: safePath("--config", values.config ?? DEFAULTS.config),
    envFile: safePath("--secrets-file", values["secrets-file"] ?? DEFAULTS.envFile),
    unitDir: safePath("--unit-dir", values["unit-dir"] ?? DEFAULTS.unitDir),
    upstreamDir:
      values["upstream-dir"] === undefined ? undefined : serviceDir("--upstream-dir", values["upstream-dir"]),
    writable: (values.writable ?? []).map((dir) => serviceDir("--writable", dir)),
    node: safePath("--node", values.node ?? defaults.node),
    start: values["no-start"] !== true,
    dryRun: values["dry-run"] === true,
  };
}

const OPTIONS = {
  prefix: { type: "string" },
  user: { type: "string" },
  port: { type: "string" },
  "data-dir": { type: "string" },
  config: { type: "string" },
  "secrets-file": { type: "string" },
  "unit-dir": { type: "string" },
  "upstream-dir": { type: "string" },
  writable: { type: "string", multiple: true },
  node: { type: "string" },
  "no-start": { type: "boolean" },
  "dry-run": { type: "boolean" },
  purge: { type: "boolean" },
} as const;

/** The directory switch-upstream.ts keeps each service's previous upstream file in, beside the upstream dir. */
export function upstreamBackupDir(upstreamDir: string): string {
  return path.posix.join(path.posix.dirname(upstreamDir), "upstream-backups");
}

export type UnitInput = {
  prefix: string;
  user: string;
  group: string;
  port: number;
  dataDir: string;
  config: string;
  envFile: string;
  node: string;
  /** Besides the data dir: the upstream dir, its backups, and any --writable. */
  writable: string[];
};

/** The heap cap, from the one place it is written (scripts/stack/server-options.ts). */
export function nodeOptions(): string {
  if (!/^[A-Za-z0-9=_ .-]+$/.test(SERVER_NODE_OPTIONS))
    throw new Error(`SERVER_NODE_OPTIONS holds characters the unit cannot carry: ${SERVER_NODE_OPTIONS}`);
  return SERVER_NODE_OPTIONS;
}

export function nextBin(prefix: string): string {
  return path.posix.join(prefix, "node_modules/next/dist/bin/next");
}

export function execStart(input: Pick<UnitInput, "node" | "prefix" | "port">): string[] {
  return [input.node, nextBin(input.prefix), "start", "-H", "127.0.0.1", "-p", String(input.port)];
}

/** Variables the unit sets itself; the env file (read after them) is for secrets. */
export function unitEnvironment(input: UnitInput): Array<[string, string]> {
  return [
    ["NODE_ENV", "production"],
    ["NODE_OPTIONS", nodeOptions()],
    ["NEXT_TELEMETRY_DISABLED", "1"],
    ["GREENLIGHT_CONFIG", input.config],
    ["GREENLIGHT_DATA_DIR", input.dataDir],
    ["GREENLIGHT_PORT", String(input.port)],
  ];
}

export function renderUnit(input: UnitInput): string {
  const writable = [input.dataDir, ...input.writable].filter((d, i, all) => all.indexOf(d) === i);
  const env = unitEnvironment(input).map(([k, v]) =>
    v.includes(" ") ? `Environment="${k}=${v}"` : `Environment=${k}=${v}`,
  );
  return [
    UNIT_MARKER,
    "[Unit]",
    "Description=Greenlight release console (blue-green deployments)",
    `Documentation=file://${input.prefix}/docs/architecture.md`,
    "After=network-online.target docker.service nginx.service",
    "Wants=network-online.target",
    // Restarts a crash every 2 s, but gives up after 10 in 2 minutes (a config it refuses); "systemctl status" says so.
    "StartLimitIntervalSec=120",
    "StartLimitBurst=10",
    "",
    "[Service]",
    "Type=simple",
    `User=${input.user}`,
    `Group=${input.group}`,
    `WorkingDirectory=${input.prefix}`,
    ...env,
    `EnvironmentFile=${input.envFile}`,
    `ExecStart=${execStart(input).join(" ")}`,
    // The console reads greenlight.yaml again on SIGHUP; a broken file keeps the running config.
    "ExecReload=/bin/kill -HUP $MAINPID",
    "Restart=on-failure",
    "RestartSec=2s",
    // systemd counts death by SIGHUP as clean: a reload that lands before the console's handler is set
    // (early in start-up) would otherwise leave it stopped.
    "RestartForceExitStatus=SIGHUP",
    "TimeoutStopSec=45s",
    "StandardOutput=journal",
    "StandardError=journal",
    "SyslogIdentifier=greenlight",
    "UMask=0027",
    // Hardening that leaves the Docker socket usable (connecting to a socket is not a write to its file system).
    "NoNewPrivileges=true",
    "PrivateTmp=true",
    "PrivateDevices=true",
    "ProtectSystem=strict",
    "ProtectHome=true",
    `ReadWritePaths=${writable.join(" ")}`,
    "ProtectKernelTunables=true",
    "ProtectKernelModules=true",
    "ProtectControlGroups=true",
    "RestrictSUIDSGID=true",
    "LockPersonality=true",
    "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}

/** The first env file: placeholders only, one per secret Greenlight or its config reads from the environment. */
export function renderEnvFile(fromEnv: string[]): string {
  const lines = [
    "# Secrets for greenlight.service (EnvironmentFile=, read by systemd as root; keep this file mode 600).",
    "# One NAME=value a line, no quotes needed; `systemctl restart greenlight` applies a change.",
    "# The first start creates the user admin with this password (remove it afterwards):",
    "#GREENLIGHT_ADMIN_PASSWORD=",
    "# Bearer token for /api/metrics/prometheus:",
    "#GREENLIGHT_METRICS_TOKEN=",
  ];
  if (fromEnv.length > 0) {
    lines.push("# Read by greenlight.yaml ({ fromEnv: NAME }):");
    for (const name of fromEnv) lines.push(`#${name}=`);
  }
  return `${lines.join("\n")}\n`;
}

/** Every `{ fromEnv: NAME }` in a parsed config, sorted and once each. */
export function fromEnvNames(value: unknown, into = new Set<string>()): string[] {
  if (Array.isArray(value)) value.forEach((v) => fromEnvNames(v, into));
  else if (value && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      if (key === "fromEnv" && typeof v === "string") into.add(v);
      else fromEnvNames(v, into);
    }
  }
  return [...into].sort();
}

/** Names set (not commented out) in an env file's text. */
export function envFileNames(text: string): string[] {
  return text
    .split("\n")
    .map((l) => /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=/.exec(l)?.[1])
    .filter((n): n is string => n !== undefined);
}

export type InstalledUnit = {
  user?: string;
  envFile?: string;
  dataDir?: string;
  environment: Record<string, string>;
  execStart?: string[];
  workingDirectory?: string;
};

/** Reads back what renderUnit wrote (the installer's own format: one setting a line, no continuation lines). */
export function parseUnit(text: string): InstalledUnit {
  const out: InstalledUnit = { environment: {} };
  for (const line of text.split("\n")) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (!m) continue;
    const [, key, raw] = m as unknown as [string, string, string];
    if (key === "User") out.user = raw;
    else if (key === "EnvironmentFile") out.envFile = raw.replace(/^-/, "");
    else if (key === "WorkingDirectory") out.workingDirectory = raw;
    else if (key === "ExecStart") out.execStart = raw.split(" ");
    else if (key === "Environment") {
      const assignment = raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
      const eq = assignment.indexOf("=");
      out.environment[assignment.slice(0, eq)] = assignment.slice(eq + 1);
    }
  }
  out.dataDir = out.environment.GREENLIGHT_DATA_DIR;
  return out;
}

/** An env file as systemd's EnvironmentFile= reads the installer's format: NAME=value lines, # comments. */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2]!.trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0]))
      value = value.slice(1, -1);
    out[m[1]!] = value;
  }
  return out;
}

/** A word for a POSIX shell: left bare when plain, else single-quoted. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9._/:=@+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The unit's ExecStart as a shell line: its user, directory, environment and env file. */
export function handCommand(input: UnitInput): string {
  const env = unitEnvironment(input).map(([k, v]) => shellWord(`${k}=${v}`));
  return [
    `cd ${shellWord(input.prefix)} && set -a && . ${shellWord(input.envFile)} && set +a &&`,
    input.user === "root" ? "" : `runuser -u ${input.user} --`,
    "env",
    ...env,
    ...execStart(input).map(shellWord),
  ]
    .filter(Boolean)
    .join(" ");
}
