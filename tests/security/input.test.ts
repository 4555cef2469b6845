// Scenarios 26-27: hostile image references and environment variables through the real entry points, the container
// options Greenlight hands Docker, and no shell anywhere in the server code.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse, stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDeployment } from "@/app/api/v1/_lib/deployments-write";
import { createUser } from "@/lib/auth/create-user";
import { SESSION_COOKIE } from "@/lib/auth/cookie";
import { createSession } from "@/lib/auth/sessions";
import { ConfigError, parseConfig } from "@/lib/config/load";
import { serviceSchema } from "@/lib/config/schema";
import { openDb } from "@/lib/db/client";
import { deployments } from "@/lib/db/schema";
import type { EngineContext } from "@/lib/deploy/context";
import { startDeployment } from "@/lib/deploy/start-deployment";
import { buildContainerOptions, DROPPED_CAPABILITIES } from "@/lib/docker/container-options";
import { findContainers } from "@/lib/docker/containers";
import { ValidationError } from "@/lib/errors";
import { EXAMPLE_CONFIG, REPO_ROOT } from "@/scripts/stack/example-stack";

const SERVICE = "glsec-input";
let root = "";
let ctx: EngineContext;
let cookie = "";

function exampleDoc(): Record<string, any> {
  const doc = parse(fs.readFileSync(EXAMPLE_CONFIG, "utf8")) as Record<string, any>;
  doc.services[0].name = SERVICE;
  doc.services[0].slots = { blue: { port: 53031 }, green: { port: 53032 } };
  doc.docker = { allowedRegistries: ["registry.internal"] };
  return doc;
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "gl-sec-input-"));
  const file = path.join(root, "greenlight.yaml");
  fs.writeFileSync(file, stringify(exampleDoc()));
  ctx = {
    config: parseConfig(fs.readFileSync(file, "utf8"), file),
    db: openDb(path.join(root, "greenlight.db")),
    dataDir: root,
  };
  const rm = await createUser(ctx.db, {
    username: "rm",
    password: "correct-horse-battery-staple",
    role: "release_manager",
  });
  cookie = `${SESSION_COOKIE}=${createSession(ctx.db, rm.id).token}`;
});

afterAll(() => {
  if (ctx?.db.$client.open) ctx.db.$client.close();
  fs.rmSync(root, { recursive: true, force: true });
});

/** Each hostile reference with the words the refusal must use to say what is wrong. */
const BAD_IMAGES: Array<[string, RegExp]> = [
  ["a;rm -rf /", /whitespace|not allowed/],
  ["--privileged", /must not start with '-'/],
  ["Privatetrade:2.0.0", /lower-case/],
  [`privatetrade:${"1".repeat(129)}`, /tag is longer than 128/],
  ["evil.example:5000/privatetrade:2.0.0", /registry "evil\.example:5000" is not on the allowed list/],
  ["privatetrade:2.0.0\n", /whitespace/],
  ["$(id)", /not allowed/],
  ["privatetrade:`id`", /not allowed/],
  ["", /empty|pick an image/],
];

async function nothingCreated(): Promise<void> {
  expect(ctx.db.select().from(deployments).all()).toEqual([]);
  expect(await findContainers({ service: SERVICE, all: true })).toEqual([]);
}

describe("image references (scenario 26)", () => {
  it.each(BAD_IMAGES)("startDeployment refuses %j, saying why, before Docker", async (image, why) => {
    const error = await startDeployment(ctx, { service: SERVICE, image, autoPromote: true }, "rm").then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(why);
    await nothingCreated();
  });

  it.each(BAD_IMAGES)(
    "POST /api/v1/services/:service/deployments refuses %j with 400, saying why",
    async (image, why) => {
      const req = new Request(`http://127.0.0.1:53030/api/v1/services/${SERVICE}/deployments`, {
        method: "POST",
        headers: { cookie, "content-type": "application/json" },
        body: JSON.stringify({ image, autoPromote: true }),
      });
      const res = await createDeployment(req, { service: SERVICE }, ctx);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(res.status).toBe(400);
      expect(body.error.code).toBe("invalid");
      expect(body.error.message).toMatch(why);
      await nothingCreated();
    },
  );

  it("lets a good reference through the same check (the refusals above are not blanket)", async () => {
    const req = new Request(`http://127.0.0.1:53030/api/v1/services/${SERVICE}/deployments`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json" },
      body: JSON.stringify({ image: "registry.internal/privatetrade:2.0.0" }),
    });
    const res = await createDeployment(req, { service: SERVICE }, ctx);
    // Past the reference check, the repository check speaks: the registry is allowed, the repository is another one.
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /not from glsec-input's repository privatetrade/,
    );
  });
});

describe("environment variables (scenario 27)", () => {
  const SECRET = "s3cr3t-value-never-shown";
  const withEnv = (env: Record<string, unknown>) => {
    const doc = exampleDoc();
    doc.services[0].container.env = env;
    return stringify(doc);
  };
  const configError = (text: string): ConfigError => {
    try {
      parseConfig(text, "greenlight.yaml");
    } catch (e) {
      if (e instanceof ConfigError) return e;
      throw e;
    }
    throw new Error("the configuration was accepted");
  };

  it.each([
    ["KEY=OTHER", /env\b.*KEY=OTHER.*letters, digits and underscores/],
    ["BAD\nKEY", /env\["BAD\\nKEY"\]: the name must be letters, digits and underscores/],
    ["LD_PRELOAD", /env\b.*LD_PRELOAD.*loader variables/],
    ["DYLD_INSERT_LIBRARIES", /env\b.*DYLD_INSERT_LIBRARIES.*loader variables/],
  ])("refuses the key %j, naming it and never the value", (key, why) => {
    const error = configError(withEnv({ [key]: { value: SECRET, secret: true } }));
    expect(error.message).toMatch(why);
    expect(error.message).not.toContain(SECRET);
    // One line per problem: a key cannot smuggle a line of its own into the message.
    expect(error.problems.every((line) => !/[\r\n]/.test(line))).toBe(true);
  });

  it.each([
    ["plain", (v: string) => v],
    ["secret", (v: string) => ({ value: v, secret: true })],
  ])("refuses a %s value with a newline, naming the key and never the value", (_kind, wrap) => {
    for (const value of [`${SECRET}\nINJECTED=1`, `${SECRET}\r\nX=1`]) {
      const error = configError(withEnv({ API_KEY: wrap(value) }));
      expect(error.message).toMatch(/API_KEY.*newline/);
      expect(error.message).not.toContain(SECRET);
    }
  });

  it("refuses the same at container creation, for env that did not come through the config", () => {
    const service = serviceSchema.parse({
      name: SERVICE,
      image: "privatetrade",
      slots: { blue: { port: 53031 }, green: { port: 53032 } },
    });
    const input = { service, slot: "blue" as const, image: "privatetrade:2.0.0", version: "2.0.0", deploymentId: "d1" };
    for (const [env, why] of [
      [{ "A=B": "1" }, /"A=B" is invalid/],
      [{ LD_PRELOAD: SECRET }, /LD_PRELOAD/],
      [{ API_KEY: `${SECRET}\nX=1` }, /API_KEY.*newline/],
    ] as const) {
      let message = "";
      try {
        buildContainerOptions({ ...input, env: { ...env } });
      } catch (e) {
        expect(e).toBeInstanceOf(ValidationError);
        message = (e as Error).message;
      }
      expect(message).toMatch(why);
      expect(message).not.toContain(SECRET);
    }
  });
});

describe("container create options (scenario 27)", () => {
  const cases = [
    { volumes: [], network: { mode: "host" } },
    {
      volumes: [
        { host: "/srv/a", container: "/data" },
        { host: "/srv/b", container: "/cfg", readOnly: true },
      ],
      network: { mode: "host" },
    },
    { volumes: [{ host: "/srv/a", container: "/data" }], network: { mode: "bridge", containerPort: 8080 } },
  ];

  it.each(cases)("are never privileged, drop capabilities and bind only declared volumes (%#)", (container) => {
    const service = serviceSchema.parse({
      name: SERVICE,
      image: "privatetrade",
      slots: { blue: { port: 53031 }, green: { port: 53032 } },
      container,
    });
    const opts = buildContainerOptions({
      service,
      slot: "green",
      image: "privatetrade:2.0.0",
      version: "2.0.0",
      deploymentId: "d1",
      env: { NODE_ENV: "production" },
    });
    const hc = opts.HostConfig!;
    expect(hc.Privileged).toBe(false);
    expect(hc.CapAdd ?? []).toEqual([]);
    expect(hc.CapDrop).toEqual(DROPPED_CAPABILITIES);
    expect(DROPPED_CAPABILITIES).toEqual(
      expect.arrayContaining(["NET_RAW", "MKNOD", "SYS_CHROOT", "SETFCAP", "SETPCAP"]),
    );
    expect(hc.SecurityOpt).toEqual(["no-new-privileges"]);
    expect(hc.Binds).toEqual(
      container.volumes.map((v) => `${v.host}:${v.container}${"readOnly" in v && v.readOnly ? ":ro" : ""}`),
    );
    // Nothing else from the host: no mounts, devices, namespaces or kernel settings beyond the declared volumes.
    for (const key of [
      "Mounts",
      "Devices",
      "DeviceRequests",
      "VolumesFrom",
      "PidMode",
      "IpcMode",
      "UsernsMode",
      "UTSMode",
      "CgroupnsMode",
      "Sysctls",
    ])
      expect((hc as Record<string, unknown>)[key], key).toBeUndefined();
    expect(opts.Volumes).toBeUndefined();
    for (const binding of Object.values(hc.PortBindings ?? {}).flat())
      expect((binding as { HostIp: string }).HostIp).toBe("127.0.0.1");
    expect(opts.User ?? "").not.toBe("root");
  });
});

describe("no shell (scenario 27)", () => {
  /** Source files of the server (tests and scripts/ excluded: they never see user text). */
  function sources(dir: string): string[] {
    return fs
      .readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && /\.(ts|tsx|mjs|js)$/.test(e.name) && !/\.test\./.test(e.name))
      .map((e) => path.join(e.parentPath, e.name));
  }

  it("never runs a child process through a shell in lib/, app/, components/ or bin/", () => {
    const offenders: string[] = [];
    for (const file of ["lib", "app", "components", "bin"].flatMap(sources)) {
      const text = fs.readFileSync(file, "utf8");
      const rel = path.relative(REPO_ROOT, file);
      if (/shell\s*:\s*(true|["'`])/.test(text)) offenders.push(`${rel}: shell option`);
      if (!/child_process/.test(text)) continue;
      // Inside a module that imports child_process, a bare exec()/execSync() is the shell-running API.
      if (/(?<![.\w])exec(Sync)?\s*\(|\.exec(Sync)?\s*\(\s*[`"']/.test(text)) offenders.push(`${rel}: exec/execSync`);
      if (/import\s*\{[^}]*\bexec(Sync)?\b[^}]*\}\s*from\s*["'](node:)?child_process/.test(text))
        offenders.push(`${rel}: imports exec`);
      if (/(spawn|execFile)(Sync)?\s*\(\s*["'`](\/bin\/)?(ba|da|z)?sh["'`]/.test(text))
        offenders.push(`${rel}: runs a shell binary`);
    }
    expect(offenders).toEqual([]);
  });
});
