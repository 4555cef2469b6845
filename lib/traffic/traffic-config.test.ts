import fs from "node:fs";
import path from "node:path";
import { parse, stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "@/lib/config/load";
import { trafficDriver } from "./index";

const EXAMPLE = path.resolve(__dirname, "../../examples/privatetrade/greenlight.yaml");
const example = () => parse(fs.readFileSync(EXAMPLE, "utf8")) as Record<string, any>;
const haproxy = () => ({
  driver: "haproxy",
  socket: "/run/haproxy/admin.sock",
  config: "/etc/haproxy/haproxy.cfg",
  stateFile: "/var/lib/haproxy/server-state",
  backend: "privatetrade",
  servers: { blue: "pt-blue", green: "pt-green" },
  lbUrl: "http://127.0.0.1:8080",
});

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

describe("a service's traffic setting", () => {
  it("is nginx when absent, and HAProxy with its socket, backend and servers when declared", () => {
    const doc = example();
    doc.services[0].traffic = haproxy();
    const config = parseConfig(stringify(doc));
    const [first, second] = config.services;
    expect(first!.traffic).toEqual({ ...haproxy(), binary: "haproxy" });
    expect(trafficDriver(config, first!)).toMatchObject({ kind: "haproxy", label: "HAProxy" });
    expect(second!.traffic).toBeUndefined();
    expect(trafficDriver(config, second!)).toMatchObject({ kind: "nginx", label: "nginx" });
  });

  it("names what is wrong: an unknown driver, a missing socket, a relative path, one server for both colours", () => {
    expect(problems((d) => (d.services[0].traffic = { driver: "traefik" }))).toEqual([
      "services[0].traffic.driver: must be { driver: nginx } or { driver: haproxy, socket, config, stateFile, backend, servers, lbUrl }",
    ]);
    const { socket: _, ...noSocket } = haproxy();
    expect(problems((d) => (d.services[0].traffic = noSocket))).toEqual([
      "services[0].traffic.socket: Invalid input: expected string, received undefined",
    ]);
    expect(problems((d) => (d.services[0].traffic = { ...haproxy(), stateFile: "state" }))).toEqual([
      "services[0].traffic.stateFile: stateFile must be an absolute path",
    ]);
    expect(problems((d) => (d.services[0].traffic = { ...haproxy(), servers: { blue: "pt", green: "pt" } }))).toEqual([
      "services[0].traffic.servers: blue and green must name two different servers",
    ]);
    expect(problems((d) => (d.services[0].traffic = { ...haproxy(), backend: "app/x; shutdown" }))).toEqual([
      "services[0].traffic.backend: must be letters, digits and _.:- (an HAProxy backend or server name, max 64)",
    ]);
  });

  it("refuses two services on one HAProxy backend", () => {
    expect(
      problems((d) => {
        d.services[0].traffic = haproxy();
        d.services[1].traffic = { ...haproxy(), servers: { blue: "b", green: "g" } };
      }),
    ).toEqual([`services[1].traffic.backend: "privatetrade" on /run/haproxy/admin.sock is already privatetrade's`]);
  });
});
