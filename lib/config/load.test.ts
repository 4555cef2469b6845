import { describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { parse, stringify } from "yaml";
import { ConfigError, loadConfig, parseConfig } from "./load";
import { REDACTED, redact, resolveEnvValue, resolveSecret, secretValues } from "./secrets";

const EXAMPLE = path.resolve(__dirname, "../../examples/privatetrade/greenlight.yaml");
const example = () => parse(fs.readFileSync(EXAMPLE, "utf8")) as Record<string, any>;

/** The problems a config with one change reports. */
function problems(change: (doc: Record<string, any>) => void): string[] {
  const doc = example();
  change(doc);
  try {
    parseConfig(stringify(doc), "/etc/greenlight.yaml");
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error("the config was accepted");
}

describe("greenlight.yaml", () => {
  it("parses the shipped example with the seed's defaults, paths resolved against the file", () => {
    const config = loadConfig(EXAMPLE);
    const svc = config.services[0]!;
    expect(svc.name).toBe("privatetrade");
    expect(svc.slots).toEqual({ blue: { port: 3000 }, green: { port: 3001 } });
    expect(svc.thresholds).toMatchObject({ errorRatePercent: 1, p95Ms: 2000, memoryMb: 300, dbErrorsPerMinute: 10 });
    expect(svc.retention).toEqual({ keepOldHours: 24, healthCheckMinutes: 60, pruneImagesDays: 7 });
    expect(svc.smoke.map((t) => t.budgetMs)).toEqual([500, 500, 500, 500, 500]);
    expect(svc.database?.path).toBe(path.resolve(path.dirname(EXAMPLE), "../../.data/demo/app/backtest.db"));
    expect(config.nginx.upstreamDir).toBe(path.resolve(path.dirname(EXAMPLE), "../../.data/demo/nginx/upstreams"));
    // The second service shares the nginx through its own route, ports and database.
    const lab = config.services[1]!;
    expect(svc.route).toBeUndefined();
    expect({ name: lab.name, route: lab.route, slots: lab.slots }).toEqual({
      name: "privatetrade-lab",
      route: { pathPrefix: "/lab/" },
      slots: { blue: { port: 3002 }, green: { port: 3003 } },
    });
    expect(lab.database?.path).toBe(path.resolve(path.dirname(EXAMPLE), "../../.data/demo/lab/backtest.db"));
  });

  it.each<[string, (doc: Record<string, any>) => void, RegExp]>([
    [
      "a port of the wrong type",
      (d) => (d.services[0].slots.green.port = "3001"),
      /^services\[0\]\.slots\.green\.port: .*number/,
    ],
    ["a port out of range", (d) => (d.services[0].slots.blue.port = 70000), /^services\[0\]\.slots\.blue\.port: /],
    ["an unknown key", (d) => (d.services[0].helth = {}), /^services\[0\]: .*helth/],
    ["a bad service name", (d) => (d.services[0].name = "Private Trade"), /^services\[0\]\.name: must be lower-case/],
    ["a missing load-balancer URL", (d) => delete d.nginx.lbUrl, /^nginx\.lbUrl: /],
    [
      "a loader variable in env",
      (d) => (d.services[0].container.env.LD_PRELOAD = "/x.so"),
      /^services\[0\]\.container\.env\.LD_PRELOAD: the name loader variables \(LD_\*, DYLD_\*\) are not allowed/,
    ],
    [
      "an env value with a newline",
      (d) => (d.services[0].container.env.LOG_LEVEL = "info\nEVIL=1"),
      /^services\[0\]\.container\.env\.LOG_LEVEL: value must not contain newlines/,
    ],
    [
      "a smoke path without a slash",
      (d) => (d.services[0].smoke[0].path = "api/config"),
      /^services\[0\]\.smoke\[0\]\.path: must start with \//,
    ],
    [
      "a network mode that does not exist",
      (d) => (d.services[0].container.network = { mode: "overlay" }),
      /^services\[0\]\.container\.network\.mode: /,
    ],
    [
      "host as a bridge network's name",
      (d) => (d.services[0].container.network = { mode: "bridge", name: "host" }),
      /^services\[0\]\.container\.network\.name: host, none and container:… are network modes/,
    ],
    [
      "another container's network as a bridge",
      (d) => (d.services[0].container.network = { mode: "bridge", name: "container:db" }),
      /^services\[0\]\.container\.network\.name: host, none and container:… are network modes/,
    ],
    ["a negative threshold", (d) => (d.services[0].thresholds.p95Ms = -1), /^services\[0\]\.thresholds\.p95Ms: /],
    [
      "an image with a tag",
      (d) => (d.services[0].image = "privatetrade:2.0.0"),
      /^services\[0\]\.image: must be an image repository without a tag/,
    ],
    ["no services", (d) => (d.services = []), /^services: declare at least one service/],
    [
      "the same service twice",
      (d) => (
        d.services.splice(1),
        d.services.push({ ...d.services[0], slots: { blue: { port: 4000 }, green: { port: 4001 } } })
      ),
      /^services\[1\]\.name: "privatetrade" is declared twice/,
    ],
    [
      "a registry password written in the file",
      (d) => (d.registries = [{ host: "127.0.0.1:5000", username: "ci", password: "hunter22" }]),
      /^registries\[0\]\.password: must be \{ fromEnv: VARIABLE \}/,
    ],
    [
      "a registry host with credentials in it",
      (d) => (d.registries = [{ host: "ci:pw@127.0.0.1:5000", username: "ci", password: { fromEnv: "P" } }]),
      /^registries\[0\]\.host: must be a registry host\[:port\], without a scheme, path or credentials/,
    ],
    [
      "a registry declared twice",
      (d) =>
        (d.registries = [1, 2].map(() => ({ host: "127.0.0.1:5000", username: "ci", password: { fromEnv: "P" } }))),
      /^registries\[1\]\.host: "127\.0\.0\.1:5000" is declared twice/,
    ],
    [
      "a registry outside the allowed list",
      (d) => (
        (d.docker = { allowedRegistries: ["registry.internal"] }),
        (d.registries = [{ host: "127.0.0.1:5000", username: "ci", password: { fromEnv: "P" } }])
      ),
      /^registries\[0\]\.host: "127\.0\.0\.1:5000" is not in docker\.allowedRegistries \(registry\.internal\)/,
    ],
    ["a pull policy that does not exist", (d) => (d.services[0].pull = "sometimes"), /^services\[0\]\.pull: /],
    [
      "two slots on one port",
      (d) => (d.services[0].slots.green.port = 3000),
      /^services\[0\]\.slots\.green\.port: 3000 is already used by privatetrade\.blue/,
    ],
    [
      "a route with two kinds",
      (d) => (d.services[0].route = { host: "a.internal", pathPrefix: "/a/" }),
      /^services\[0\]\.route: must be exactly one of \{ host: <name> \}, \{ pathPrefix: \/prefix\/ \} or \{ listenPort: <port> \}$/,
    ],
    [
      "a path prefix without a trailing slash",
      (d) => (d.services[0].route = { pathPrefix: "/reports" }),
      /^services\[0\]\.route\.pathPrefix: must start and end with \//,
    ],
    [
      "a host name nginx would read as syntax",
      (d) => (d.services[0].route = { host: "a.internal; return 200" }),
      /^services\[0\]\.route\.host: must be a lower-case DNS name/,
    ],
    [
      "a listen port out of range",
      (d) => (d.services[0].route = { listenPort: 0 }),
      /^services\[0\]\.route\.listenPort: Too small/,
    ],
    [
      "a listen port that is a slot's",
      (d) => (d.services[0].route = { listenPort: 3001 }),
      /^services\[0\]\.route\.listenPort: 3001 is already used by privatetrade\.green$/,
    ],
    [
      "a listen port that is the load balancer's",
      (d) => (d.services[0].route = { listenPort: 8080 }),
      /^services\[0\]\.route\.listenPort: 8080 is the load balancer's own port/,
    ],
    [
      "two services without a route",
      (d) => (
        d.services.splice(1),
        d.services.push({ ...d.services[0], name: "reports", slots: { blue: { port: 4000 }, green: { port: 4001 } } })
      ),
      /^services\[1\]\.route: the default route \(path \/ on the load balancer; a service without a route gets it\) is already the route of privatetrade; give each service its own host, pathPrefix or listenPort$/,
    ],
    [
      "two services on one host",
      (d) => {
        d.services.splice(1);
        d.services[0].route = { host: "a.internal" };
        d.services.push({ ...d.services[0], name: "reports", slots: { blue: { port: 4000 }, green: { port: 4001 } } });
      },
      /^services\[1\]\.route\.host: host a\.internal is already the route of privatetrade/,
    ],
    [
      "two services on one path prefix",
      (d) => {
        d.services.splice(1);
        d.services[0].route = { pathPrefix: "/a/" };
        d.services.push({ ...d.services[0], name: "reports", slots: { blue: { port: 4000 }, green: { port: 4001 } } });
      },
      /^services\[1\]\.route\.pathPrefix: path prefix \/a\/ is already the route of privatetrade/,
    ],
    [
      "two services on one listen port",
      (d) => {
        d.services.splice(1);
        d.services[0].route = { listenPort: 9000 };
        d.services.push({ ...d.services[0], name: "reports", slots: { blue: { port: 4000 }, green: { port: 4001 } } });
      },
      /^services\[1\]\.route\.listenPort: listen port 9000 is already the route of privatetrade/,
    ],
  ])("names the field for %s", (_, change, message) => {
    expect(problems(change)).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
  });

  it("reports YAML syntax errors and unreadable files as config errors", () => {
    expect(() => parseConfig("services: [\n  - name: x\n", "bad.yaml")).toThrow(/bad\.yaml is not valid:\n  - YAML: /);
    expect(() => loadConfig("/nonexistent/greenlight.yaml")).toThrow(/cannot read the file: ENOENT/);
  });

  it("a broken file stops the Greenlight process at start-up with a message naming the field", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gl-config-"));
    const doc = example();
    doc.services[0].slots.green.port = "not-a-port";
    fs.writeFileSync(path.join(dir, "greenlight.yaml"), stringify(doc));
    const root = path.resolve(__dirname, "../..");
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", "-e", "import('./lib/jobs/start.ts').then((m) => (m.start ?? m.default.start)())"],
      {
        cwd: root,
        env: {
          ...process.env,
          GREENLIGHT_CONFIG: path.join(dir, "greenlight.yaml"),
          GREENLIGHT_DATA_DIR: path.join(dir, "data"),
        },
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    fs.rmSync(dir, { recursive: true, force: true });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("Greenlight cannot start:");
    expect(run.stderr).toMatch(/services\[0\]\.slots\.green\.port: /);
  });
});

describe("secrets in the configuration", () => {
  it("resolves inline and environment secrets, naming only the variable when it is unset", () => {
    expect(resolveSecret("https://hooks.example/abc")).toBe("https://hooks.example/abc");
    expect(resolveSecret({ fromEnv: "GL_TEST_HOOK" }, { GL_TEST_HOOK: "s3cret-value" })).toBe("s3cret-value");
    expect(() => resolveSecret({ fromEnv: "GL_TEST_HOOK" }, {})).toThrow(
      "environment variable GL_TEST_HOOK is not set",
    );
    expect(resolveEnvValue({ value: "inline-secret", secret: true })).toBe("inline-secret");
  });

  it("redacts every secret value from text", () => {
    const values = secretValues([{ value: "hunter2-long", secret: true }, "plain", { fromEnv: "GL_X" }], {
      GL_X: "from-env-secret",
    });
    expect(values).toEqual(["hunter2-long", "from-env-secret"]);
    expect(redact("token hunter2-long and from-env-secret", values)).toBe(`token ${REDACTED} and ${REDACTED}`);
  });
});
