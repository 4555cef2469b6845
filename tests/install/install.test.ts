// scripts/install.sh for real, as root, into a temporary root: the unit, the secrets file, the account, the data and
// upstream directories; `systemd-analyze verify` on the unit; the unit's ExecStart run by hand as the unit runs it
// (its user, directory, environment and secrets file) against this checkout's build; uninstall with and without
// --purge; bad input refused with nothing written. The account it creates is removed again.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnvFile, parseUnit, UNIT_MARKER } from "@/scripts/install/plan";
import { SERVER_NODE_OPTIONS } from "@/scripts/stack/server-options";

const ROOT = path.resolve(__dirname, "../..");
const PORT = 3291;
const isRoot = process.getuid?.() === 0;
const hasBuild = fs.existsSync(path.join(ROOT, ".next/BUILD_ID"));
const systemdIsInit = fs.existsSync("/run/systemd/system");
const suffix = crypto.randomBytes(3).toString("hex");
const USER = `gltest${suffix}`;
const OTHER_USER = `gltestbad${suffix}`;

let top: string;
let paths: {
  config: string;
  env: string;
  units: string;
  unit: string;
  data: string;
  upstream: string;
  backups: string;
};
let args: string[];
const children: ChildProcess[] = [];

const run = (argv: string[]) => {
  const r = spawnSync("bash", [path.join(ROOT, "scripts/install.sh"), ...argv], { encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};
const userExists = (name: string) => spawnSync("getent", ["passwd", name]).status === 0;
const idOf = (flag: string, name: string) => spawnSync("id", [flag, name], { encoding: "utf8" }).stdout.trim();

/** Every file and directory under the temporary root, with owner, mode and content: "nothing changed" is equality. */
function snapshot(dir = top): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of fs.readdirSync(d).sort()) {
      const p = path.join(d, name);
      const st = fs.lstatSync(p);
      const what = st.isDirectory() ? "dir" : crypto.createHash("sha256").update(fs.readFileSync(p)).digest("hex");
      out[path.relative(top, p)] = `${st.uid}:${st.gid} ${(st.mode & 0o7777).toString(8)} ${what}`;
      if (st.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

type Answer = { status: number; body: string };

/** /api/healthz on the port the unit names, until it answers or the process is gone (4 s per try, 60 s in all). */
async function healthz(alive: () => boolean): Promise<Answer | null> {
  for (let i = 0; i < 240 && alive(); i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${PORT}/api/healthz`, { signal: AbortSignal.timeout(2000) });
      return { status: res.status, body: await res.text() };
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return null;
}

/** The console runs as the unit's account: a checkout in a directory other accounts cannot enter (/root) cannot. */
function skipUnlessReachable(ctx: { skip: (note?: string) => void }): void {
  const build = path.join(ROOT, ".next/BUILD_ID");
  if (spawnSync("runuser", ["-u", USER, "--", "test", "-r", build]).status !== 0)
    ctx.skip(`${USER} cannot read ${build}: this checkout sits where other accounts cannot enter`);
}

beforeAll(() => {
  if (!isRoot) return;
  top = fs.mkdtempSync(path.join(os.tmpdir(), "gl-install-"));
  fs.chmodSync(top, 0o755); // the service account must reach the config below it, as under /etc
  paths = {
    config: path.join(top, "etc/greenlight/greenlight.yaml"),
    env: path.join(top, "etc/greenlight/greenlight.env"),
    units: path.join(top, "etc/systemd/system"),
    unit: path.join(top, "etc/systemd/system/greenlight.service"),
    data: path.join(top, "var/lib/greenlight"),
    upstream: path.join(top, "etc/nginx/greenlight/upstreams"),
    backups: path.join(top, "etc/nginx/greenlight/upstream-backups"),
  };
  fs.mkdirSync(path.dirname(paths.config), { recursive: true, mode: 0o755 });
  fs.writeFileSync(
    paths.config,
    [
      "nginx:",
      `  mainConfig: ${path.join(top, "etc/nginx/greenlight/nginx.conf")}`,
      `  upstreamDir: ${paths.upstream}`,
      "  lbUrl: http://127.0.0.1:3292",
      "registries:",
      "  - { host: 127.0.0.1:5000, username: ci, password: { fromEnv: GL_TEST_REGISTRY_PASSWORD } }",
      "services:",
      "  - name: hello",
      "    image: hello",
      "    slots: { blue: { port: 3293 }, green: { port: 3294 } }",
      "    health: { path: /health }",
      "",
    ].join("\n"),
    { mode: 0o644 },
  );
  args = [
    "--user",
    USER,
    "--port",
    String(PORT),
    "--config",
    paths.config,
    "--secrets-file",
    paths.env,
    "--unit-dir",
    paths.units,
    "--data-dir",
    paths.data,
  ];
});

afterAll(async () => {
  for (const c of children)
    if (c.exitCode === null && c.signalCode === null) {
      try {
        process.kill(-c.pid!, "SIGKILL"); // its process group: bash, runuser and the console under it
      } catch {
        c.kill("SIGKILL");
      }
    }
  // An nginx a failed case left running (its pid file names it), then the accounts the installer made.
  const pidFile = top && path.join(top, "var/lib/greenlight-nginx/nginx.pid");
  if (pidFile && fs.existsSync(pidFile)) spawnSync("kill", ["-QUIT", fs.readFileSync(pidFile, "utf8").trim()]);
  for (const name of [USER, OTHER_USER]) if (isRoot && userExists(name)) spawnSync("userdel", [name]);
  if (top) fs.rmSync(top, { recursive: true, force: true });
});

describe.skipIf(!isRoot)(
  `scripts/install.sh as root into a temporary root${isRoot ? "" : " (skipped: needs root)"}`,
  () => {
    it("--dry-run prints the unit and every step, and changes nothing", () => {
      const before = snapshot();
      const r = run([...args, "--dry-run"]);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(`User=${USER}`);
      expect(r.stdout).toContain(
        `useradd --system --user-group --home-dir ${paths.data} --no-create-home --shell /usr/sbin/nologin ${USER}`,
      );
      expect(r.stdout).toContain(`write ${paths.env} (mode 600, owner root)`);
      expect(snapshot()).toEqual(before);
      expect(userExists(USER)).toBe(false);

      // Before the config is written: the upstream directory from the flag, and a warning that it cannot start yet.
      const missing = path.join(top, "etc/greenlight/not-yet.yaml");
      const early = run([
        ...args.map((a) => (a === paths.config ? missing : a)),
        "--upstream-dir",
        paths.upstream,
        "--dry-run",
      ]);
      expect(early.status).toBe(0);
      expect(early.stdout).toContain(
        `warning: ${missing} does not exist yet; the console refuses to start until it does`,
      );
      expect(early.stdout).toContain(`Environment=GREENLIGHT_CONFIG=${missing}`);
      expect(snapshot()).toEqual(before);
    });

    it("installs: the account, its directories, a mode-600 secrets file and the unit", () => {
      // A database an earlier `npm start` as root left: the account this run creates must be able to write it.
      fs.mkdirSync(paths.data, { recursive: true });
      fs.writeFileSync(path.join(paths.data, "greenlight.db"), "");
      const r = run(args);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(userExists(USER)).toBe(true);
      const passwd = spawnSync("getent", ["passwd", USER], { encoding: "utf8" }).stdout.trim().split(":");
      expect(passwd[5]).toBe(paths.data);
      expect(passwd[6]).toBe("/usr/sbin/nologin");
      if (spawnSync("getent", ["group", "docker"]).status === 0)
        expect(idOf("-nG", USER).split(" ")).toContain("docker");
      const uid = Number(idOf("-u", USER));
      for (const [dir, mode] of [
        [paths.data, 0o750],
        [paths.upstream, 0o755],
        [paths.backups, 0o750],
      ] as const) {
        const st = fs.statSync(dir);
        expect({ dir, uid: st.uid, mode: st.mode & 0o7777 }).toEqual({ dir, uid, mode });
      }

      expect(r.stdout).toContain(`give ${USER} the 1 file(s) in ${paths.data} owned by someone else`);
      expect(fs.statSync(path.join(paths.data, "greenlight.db")).uid).toBe(uid);
      fs.rmSync(path.join(paths.data, "greenlight.db"));

      const env = fs.statSync(paths.env);
      expect(env.mode & 0o777).toBe(0o600);
      expect([env.uid, env.gid]).toEqual([0, 0]);
      const envText = fs.readFileSync(paths.env, "utf8");
      expect(envText).toContain("#GREENLIGHT_ADMIN_PASSWORD=");
      expect(envText).toContain("#GL_TEST_REGISTRY_PASSWORD="); // from the config's { fromEnv }
      expect(parseEnvFile(envText)).toEqual({}); // placeholders only: no secret is invented

      const unit = fs.readFileSync(paths.unit, "utf8");
      expect(fs.statSync(paths.unit).mode & 0o777).toBe(0o644);
      expect(unit.startsWith(UNIT_MARKER)).toBe(true);
      const lines = unit.split("\n");
      for (const line of [
        `User=${USER}`,
        `Group=${USER}`,
        `EnvironmentFile=${paths.env}`,
        `Environment="NODE_OPTIONS=${SERVER_NODE_OPTIONS}"`,
        `Environment=GREENLIGHT_CONFIG=${paths.config}`,
        `Environment=GREENLIGHT_DATA_DIR=${paths.data}`,
        `WorkingDirectory=${ROOT}`,
        `ExecStart=${process.execPath} ${ROOT}/node_modules/next/dist/bin/next start -H 127.0.0.1 -p ${PORT}`,
        "ExecReload=/bin/kill -HUP $MAINPID",
        "Restart=on-failure",
        "RestartSec=2s",
        "RestartForceExitStatus=SIGHUP",
        "StartLimitIntervalSec=120",
        "StandardOutput=journal",
        "StandardError=journal",
        "NoNewPrivileges=true",
        "ProtectSystem=strict",
        "ProtectHome=true",
        "PrivateTmp=true",
        `ReadWritePaths=${paths.data} ${paths.upstream} ${paths.backups}`,
        "WantedBy=multi-user.target",
      ])
        expect(lines).toContain(line);
      // The heap cap is written once, in scripts/stack/server-options.ts, and matches `npm start`.
      const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
        scripts: { start: string };
      };
      expect(pkg.scripts.start).toContain(`NODE_OPTIONS='${SERVER_NODE_OPTIONS}'`);

      if (!systemdIsInit) {
        expect(r.stdout).toContain("Not started: systemd is not running as PID 1 on this machine");
        expect(r.stdout).toContain(
          `runuser -u ${USER} -- env NODE_ENV=production 'NODE_OPTIONS=${SERVER_NODE_OPTIONS}'`,
        );
      } else expect(r.stdout).toContain("so systemd does not read it");
    });

    it("systemd-analyze verify accepts the unit without a warning, and does refuse a broken one", () => {
      const ok = spawnSync("systemd-analyze", ["verify", paths.unit], { encoding: "utf8" });
      expect(`${ok.stdout}${ok.stderr}`.trim()).toBe("");
      expect(ok.status).toBe(0);
      // The check has teeth: the same unit with an ExecStart binary that does not exist fails.
      const broken = path.join(top, "broken.service");
      fs.writeFileSync(
        broken,
        fs.readFileSync(paths.unit, "utf8").replace(`ExecStart=${process.execPath}`, "ExecStart=/nonexistent/node"),
      );
      const bad = spawnSync("systemd-analyze", ["verify", broken], { encoding: "utf8" });
      expect(bad.status).not.toBe(0);
      expect(bad.stderr).toContain("/nonexistent/node");
      fs.rmSync(broken);
    });

    it("is idempotent: a second run changes nothing, and keeps the secrets an operator wrote", () => {
      fs.appendFileSync(paths.env, "GL_TEST_REGISTRY_PASSWORD=s3cret-value\n");
      fs.mkdirSync(path.join(paths.data, "backups"));
      fs.writeFileSync(path.join(paths.data, "backups/greenlight-old.db"), "x"); // as root, like an earlier `npm start`
      fs.chmodSync(paths.env, 0o644); // a careless edit
      const first = run(args);
      expect(first.status).toBe(0);
      expect(first.stdout).toContain(`${paths.env}: owner root, mode 600 (was uid 0 mode 644); its content stays`);
      expect(fs.statSync(paths.env).mode & 0o777).toBe(0o600);
      expect(parseEnvFile(fs.readFileSync(paths.env, "utf8"))).toEqual({ GL_TEST_REGISTRY_PASSWORD: "s3cret-value" });
      expect(first.stdout).not.toContain("s3cret-value");
      expect(first.stdout).toContain(`give ${USER} the 2 file(s) in ${paths.data} owned by someone else`);
      expect(fs.statSync(path.join(paths.data, "backups/greenlight-old.db")).uid).toBe(Number(idOf("-u", USER)));

      const before = snapshot();
      const again = run(args);
      expect(again.status).toBe(0);
      expect(again.stdout).toContain("Everything was already in place.");
      expect(again.stdout).not.toContain("does not set GL_TEST_REGISTRY_PASSWORD");
      expect(snapshot()).toEqual(before);
    });

    it("says when the account cannot read its config, as the account itself finds", () => {
      expect(run(args).stdout).not.toContain("cannot read the config");
      fs.chmodSync(paths.config, 0o600);
      try {
        const r = run(args);
        expect(r.status).toBe(0);
        expect(r.stdout).toContain(`warning: ${USER} cannot read the config (${paths.config})`);
      } finally {
        fs.chmodSync(paths.config, 0o644);
      }
    });

    it("says when the nginx it drives runs as another account, and is quiet when it runs as the service's", async () => {
      const nginxDir = path.join(top, "var/lib/greenlight-nginx");
      const mainConfig = path.join(top, "etc/nginx/greenlight/nginx.conf");
      fs.mkdirSync(nginxDir, { recursive: true, mode: 0o755 });
      fs.writeFileSync(
        mainConfig,
        [
          "daemon on;",
          "worker_processes 1;",
          `pid ${nginxDir}/nginx.pid;`,
          `error_log ${nginxDir}/error.log notice;`,
          "events { worker_connections 64; }",
          "http {",
          `  client_body_temp_path ${nginxDir}/body; proxy_temp_path ${nginxDir}/proxy;`,
          `  fastcgi_temp_path ${nginxDir}/fastcgi; uwsgi_temp_path ${nginxDir}/uwsgi; scgi_temp_path ${nginxDir}/scgi;`,
          `  access_log ${nginxDir}/access.log;`,
          `  include ${paths.upstream}/*.conf;`,
          '  server { listen 127.0.0.1:3292; location / { return 200 "ok"; } }',
          "}",
          "",
        ].join("\n"),
        { mode: 0o644 },
      );
      const stop = (as: string[]) => {
        const argv = [...as, "nginx", "-s", "stop", "-c", mainConfig];
        spawnSync(argv[0]!, argv.slice(1));
      };
      const waitGone = async () => {
        for (let i = 0; i < 50 && fs.existsSync(path.join(nginxDir, "nginx.pid")); i++)
          await new Promise((r) => setTimeout(r, 100));
      };
      // As root, as Debian's nginx.service runs it: the service account could neither test nor signal it.
      expect(spawnSync("nginx", ["-c", mainConfig], { encoding: "utf8" }).status).toBe(0);
      try {
        const r = run(args);
        expect(r.status).toBe(0);
        expect(r.stdout).toMatch(
          /the nginx master for .* \(pid \d+\) runs as uid 0, not gltest\w+: the console's `nginx -s reload` will be refused/,
        );
        expect(r.stdout).toContain(`\`nginx -t -c ${mainConfig}\` fails as ${USER}`);
      } finally {
        stop([]);
        await waitGone();
      }
      // As the service's own account, with its files in a --writable directory: nothing to say.
      for (const f of fs.readdirSync(nginxDir)) fs.rmSync(path.join(nginxDir, f), { recursive: true, force: true });
      fs.chownSync(nginxDir, Number(idOf("-u", USER)), Number(idOf("-g", USER)));
      const asUser = ["runuser", "-u", USER, "--"];
      expect(spawnSync(asUser[0]!, [...asUser.slice(1), "nginx", "-c", mainConfig], { encoding: "utf8" }).status).toBe(
        0,
      );
      try {
        const dry = run([...args, "--writable", nginxDir, "--dry-run"]);
        expect(dry.stdout).toContain(
          `Changes to the installed unit:\n--- ${paths.unit} (installed)\n+++ ${paths.unit} (new)`,
        );
        expect(dry.stdout).toContain(`\n-ReadWritePaths=${paths.data} ${paths.upstream} ${paths.backups}\n`);
        expect(dry.stdout).toContain(
          `\n+ReadWritePaths=${paths.data} ${paths.upstream} ${paths.backups} ${nginxDir}\n`,
        );
        const r = run([...args, "--writable", nginxDir]);
        expect(r.status).toBe(0);
        expect(r.stdout).not.toContain("nginx master");
        expect(r.stdout).not.toContain("nginx -t");
        expect(fs.readFileSync(paths.unit, "utf8")).toContain(
          `ReadWritePaths=${paths.data} ${paths.upstream} ${paths.backups} ${nginxDir}\n`,
        );
      } finally {
        stop(asUser);
        await waitGone();
        fs.rmSync(mainConfig);
      }
      expect(run(args).status).toBe(0); // back to the unit the other cases expect
    });

    it.skipIf(!hasBuild)(
      `the unit's ExecStart, run as the unit runs it, serves /api/healthz${hasBuild ? "" : " (skipped: this checkout has no .next build; run npx next build)"}`,
      async (ctx) => {
        skipUnlessReachable(ctx);
        fs.appendFileSync(paths.env, "GREENLIGHT_ADMIN_PASSWORD=correct-horse-battery-staple\nGREENLIGHT_ENGINE=off\n");
        const unit = parseUnit(fs.readFileSync(paths.unit, "utf8"));
        const [file, ...argv] = unit.execStart!;
        // As systemd does: a clean environment, the unit's Environment=, then the EnvironmentFile= on top.
        const env: NodeJS.ProcessEnv = {
          NODE_ENV: "production", // the unit sets it too; ProcessEnv wants it named
          PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
          HOME: paths.data,
          USER,
          ...unit.environment,
          ...parseEnvFile(fs.readFileSync(unit.envFile!, "utf8")),
        };
        const child = spawn(file!, argv, {
          cwd: unit.workingDirectory,
          env,
          uid: Number(idOf("-u", USER)),
          gid: Number(idOf("-g", USER)),
          stdio: ["ignore", "pipe", "pipe"],
        });
        children.push(child);
        let out = "";
        child.stdout!.on("data", (d: Buffer) => (out += d));
        child.stderr!.on("data", (d: Buffer) => (out += d));
        const answer = await healthz(() => child.exitCode === null);
        try {
          expect(answer, `the console exited ${child.exitCode}; it said:\n${out}`).toEqual({
            status: 200,
            body: JSON.stringify({ status: "ok" }),
          });
          // It runs as the unit's user with the heap cap, and read the secrets file (the first admin came from it).
          const status = fs.readFileSync(`/proc/${child.pid}/status`, "utf8");
          expect(/^Uid:\s+(\d+)/m.exec(status)?.[1]).toBe(idOf("-u", USER));
          expect(fs.readFileSync(`/proc/${child.pid}/environ`, "utf8").split("\0")).toContain(
            `NODE_OPTIONS=${SERVER_NODE_OPTIONS}`,
          );
          for (let i = 0; i < 40 && !out.includes("created the first user"); i++)
            await new Promise((r) => setTimeout(r, 250));
          // One JSON object a line on stdout: what the journal keeps under StandardOutput=journal.
          const line = out.split("\n").find((l) => l.includes("created the first user"));
          expect(JSON.parse(line!)).toMatchObject({
            component: "start",
            msg: 'created the first user "admin" from GREENLIGHT_ADMIN_PASSWORD',
          });
          expect(fs.existsSync(path.join(paths.data, "greenlight.db"))).toBe(true);
          expect(fs.statSync(path.join(paths.data, "greenlight.db")).uid).toBe(Number(idOf("-u", USER)));
        } finally {
          const exited = new Promise((r) => child.once("exit", r));
          child.kill("SIGTERM");
          await exited;
        }
      },
      90_000,
    );

    it.skipIf(!hasBuild)(
      `the command line the installer prints where systemd does not run starts the same console${hasBuild ? "" : " (skipped: no .next build)"}`,
      async (ctx) => {
        skipUnlessReachable(ctx);
        const r = run(args);
        expect(r.status).toBe(0);
        const line = r.stdout.trim().split("\n").at(-1)!.trim();
        expect(line.startsWith(`cd ${ROOT} && set -a && . ${paths.env} && set +a && runuser -u ${USER} -- env`)).toBe(
          true,
        );
        // Pasted into a shell as an operator would: bash, then runuser, then the console, in one process group.
        const shell = spawn("bash", ["-c", line], { detached: true, stdio: ["ignore", "pipe", "pipe"] });
        children.push(shell);
        let out = "";
        shell.stdout!.on("data", (d: Buffer) => (out += d));
        shell.stderr!.on("data", (d: Buffer) => (out += d));
        const exited = new Promise((resolve) => shell.once("exit", resolve));
        try {
          const answer = await healthz(() => shell.exitCode === null);
          expect(answer, `the command exited ${shell.exitCode}; it said:\n${out}`).toEqual({
            status: 200,
            body: JSON.stringify({ status: "ok" }),
          });
        } finally {
          process.kill(-shell.pid!, "SIGTERM");
          await exited;
        }
        // The console is gone with its shell: the port no longer answers.
        let gone = false;
        for (let i = 0; i < 40 && !gone; i++) {
          gone = await fetch(`http://127.0.0.1:${PORT}/api/healthz`, { signal: AbortSignal.timeout(1000) }).then(
            () => false,
            () => true,
          );
          if (!gone) await new Promise((resolve) => setTimeout(resolve, 250));
        }
        expect(gone).toBe(true);
      },
      90_000,
    );

    it("uninstall removes the unit and keeps the data directory, the secrets and the account", () => {
      fs.writeFileSync(path.join(paths.data, "keep-me"), "x");
      const before = snapshot();
      const dry = run(["uninstall", "--purge", "--dry-run", "--unit-dir", paths.units]);
      expect(dry.status).toBe(0);
      expect(dry.stdout).toContain(`remove the data directory ${paths.data}`);
      expect(dry.stdout).toContain(`userdel ${USER}`);
      expect(snapshot()).toEqual(before);
      expect(userExists(USER)).toBe(true);

      const r = run(["uninstall", "--unit-dir", paths.units]);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(fs.existsSync(paths.unit)).toBe(false);
      expect(fs.existsSync(path.join(paths.data, "keep-me"))).toBe(true);
      expect(fs.existsSync(paths.env)).toBe(true);
      expect(userExists(USER)).toBe(true);
      expect(r.stdout).toContain(`Kept the data directory ${paths.data}`);
      expect(r.stdout).toContain("`uninstall --purge` removes them");
      const again = run(["uninstall", "--unit-dir", paths.units]);
      expect(again.status).toBe(0);
      expect(again.stdout).toContain("nothing to uninstall");
    });

    it("uninstall --purge removes the data directory, the secrets file and the account the installer made", () => {
      expect(run(args).status).toBe(0);
      const r = run(["uninstall", "--purge", "--unit-dir", paths.units]);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(fs.existsSync(paths.unit)).toBe(false);
      expect(fs.existsSync(paths.data)).toBe(false);
      expect(fs.existsSync(paths.env)).toBe(false);
      expect(userExists(USER)).toBe(false);
      expect(fs.existsSync(paths.config)).toBe(true); // the operator's config is never the installer's to remove
    });

    it("bad input is refused with a message naming it, and nothing is written", () => {
      const other = args.map((a) => (a === USER ? OTHER_USER : a));
      const before = snapshot();
      const cases: Array<[string[], string]> = [
        [[...other, "--bogus"], "Unknown option '--bogus'"],
        [
          args.map((a) => (a === USER ? "Bad;Name" : a)),
          '--user must be a lower-case account name (a-z, 0-9, _ and -, starting with a letter or _, at most 32); got "Bad;Name"',
        ],
        [
          [...other, "--data-dir", "var/lib/greenlight"],
          '--data-dir must be an absolute path; got "var/lib/greenlight"',
        ],
        [[...other, "--data-dir", "/var/lib/green light"], "--data-dir may hold only letters, digits and ._/+@-"],
        [[...other, "--prefix", "/opt/$(reboot)"], "--prefix may hold only letters, digits and ._/+@-"],
        [[...other, "--data-dir", "/var/lib/../../etc"], '--data-dir must not contain ".."'],
        [[...other, "--data-dir", "/var/lib"], "--data-dir /var/lib is a system directory"],
        [[...other, "--writable", "/"], "--writable / is a system directory"],
        [[...other, "--data-dir", ROOT], `--data-dir ${ROOT} holds the checkout ${ROOT}`],
        [
          other.map((a) => (a === paths.config ? path.join(top, "etc/greenlight/missing.yaml") : a)),
          "does not exist yet, so the nginx upstream directory is unknown: write the config first or pass --upstream-dir",
        ],
        [
          [...other, "--upstream-dir", "/srv/elsewhere"],
          "--upstream-dir /srv/elsewhere is not the config's nginx.upstreamDir",
        ],
        [[...other, "--port", "70000"], '--port must be a number from 1 to 65535; got "70000"'],
        [[...other, "--purge"], "--purge belongs to uninstall"],
        [[...other, "stray"], 'unexpected argument "stray"'],
        [[...other, "--env-file", paths.env], "the secrets file option is --secrets-file FILE"],
        [["uninstall", "--user", "x"], "uninstall takes only --purge, --unit-dir and --dry-run"],
        [[...other, "--prefix", top], `--prefix ${top} is not a Greenlight checkout (no package.json)`],
      ];
      for (const [argv, message] of cases) {
        const r = run(argv);
        expect({ argv, status: r.status }).toEqual({ argv, status: 2 });
        expect(r.stderr).toContain(message);
        expect(r.stderr).toContain("Nothing was changed.");
        expect(r.stdout).toBe("");
      }
      expect(snapshot()).toEqual(before);
      expect(userExists(OTHER_USER)).toBe(false);
    });

    it("a config the console would refuse is refused at install, naming the field", () => {
      const broken = path.join(top, "etc/greenlight/broken.yaml");
      fs.writeFileSync(
        broken,
        fs.readFileSync(paths.config, "utf8").replace("lbUrl: http://127.0.0.1:3292", "lbUrl: nowhere"),
      );
      const before = snapshot();
      const r = run([...args.map((a) => (a === paths.config ? broken : a))]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain("nginx.lbUrl");
      expect(r.stderr).toContain("Nothing was changed.");
      expect(snapshot()).toEqual(before);
      expect(userExists(USER)).toBe(false);
    });

    it("uninstall leaves a unit it did not write alone", () => {
      fs.mkdirSync(paths.units, { recursive: true });
      fs.writeFileSync(paths.unit, "[Service]\nExecStart=/bin/true\n");
      const r = run(["uninstall", "--purge", "--unit-dir", paths.units]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain("was not written by scripts/install.sh; leaving it alone");
      expect(fs.existsSync(paths.unit)).toBe(true);
    });
  },
);
