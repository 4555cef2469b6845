import { describe, expect, it } from "vitest";
import { serviceSchema } from "@/lib/config/schema";
import { ValidationError } from "@/lib/errors";
import { buildContainerOptions } from "./container-options";

const base = {
  name: "privatetrade",
  image: "privatetrade",
  slots: { blue: { port: 3000 }, green: { port: 3001 } },
};

describe("buildContainerOptions", () => {
  it("builds host-network options with labels, env, limits, volumes and command", () => {
    const service = serviceSchema.parse({
      ...base,
      container: {
        env: { NODE_ENV: "production" },
        volumes: [
          { host: "/srv/privatetrade/data", container: "/app/data" },
          { host: "/srv/privatetrade/config", container: "/app/config", readOnly: true },
        ],
        command: ["/usr/bin/node", "server.js"],
        memoryMb: 256,
        cpus: 1.5,
        stopGraceSeconds: 20,
      },
    });
    const options = buildContainerOptions({
      service,
      slot: "green",
      image: "privatetrade:2.0.0",
      version: "2.0.0",
      deploymentId: "dep_01",
      env: { NODE_ENV: "production", API_TOKEN: "s3cret" },
    });
    expect(options).toEqual({
      name: "greenlight-privatetrade-green-dep_01",
      Image: "privatetrade:2.0.0",
      Env: ["NODE_ENV=production", "API_TOKEN=s3cret", "PORT=3001", "HOST=127.0.0.1"],
      Labels: {
        "greenlight.service": "privatetrade",
        "greenlight.slot": "green",
        "greenlight.version": "2.0.0",
        "greenlight.deployment": "dep_01",
        "greenlight.managed": "true",
      },
      StopTimeout: 20,
      Cmd: ["/usr/bin/node", "server.js"],
      HostConfig: {
        NetworkMode: "host",
        Init: true,
        RestartPolicy: { Name: "unless-stopped" },
        Privileged: false,
        SecurityOpt: ["no-new-privileges"],
        CapDrop: ["NET_RAW", "MKNOD", "SYS_CHROOT", "SETFCAP", "SETPCAP", "AUDIT_WRITE"],
        Binds: ["/srv/privatetrade/data:/app/data", "/srv/privatetrade/config:/app/config:ro"],
        LogConfig: { Type: "json-file", Config: { "max-size": "10m", "max-file": "3" } },
        Memory: 268435456,
        NanoCpus: 1500000000,
      },
    });
  });

  it("publishes the slot port on 127.0.0.1 in bridge mode and lets Greenlight's PORT and HOST win", () => {
    const service = serviceSchema.parse({
      ...base,
      container: { portEnv: "APP_PORT", env: {}, network: { mode: "bridge", name: "prod", containerPort: 8080 } },
    });
    const options = buildContainerOptions({
      service,
      slot: "blue",
      image: "privatetrade:1.9.0",
      version: "1.9.0",
      deploymentId: "d1",
      env: { HOST: "0.0.0.0", APP_PORT: "1" },
    });
    expect(options).toEqual({
      name: "greenlight-privatetrade-blue-d1",
      Image: "privatetrade:1.9.0",
      Env: ["HOST=0.0.0.0", "APP_PORT=8080"],
      Labels: {
        "greenlight.service": "privatetrade",
        "greenlight.slot": "blue",
        "greenlight.version": "1.9.0",
        "greenlight.deployment": "d1",
        "greenlight.managed": "true",
      },
      StopTimeout: 10,
      ExposedPorts: { "8080/tcp": {} },
      HostConfig: {
        NetworkMode: "prod",
        Init: true,
        RestartPolicy: { Name: "unless-stopped" },
        Privileged: false,
        SecurityOpt: ["no-new-privileges"],
        CapDrop: ["NET_RAW", "MKNOD", "SYS_CHROOT", "SETFCAP", "SETPCAP", "AUDIT_WRITE"],
        Binds: [],
        LogConfig: { Type: "json-file", Config: { "max-size": "10m", "max-file": "3" } },
        PortBindings: { "8080/tcp": [{ HostIp: "127.0.0.1", HostPort: "3000" }] },
      },
    });
  });

  it("rejects bad images, env and deployment ids before any Docker call", () => {
    const service = serviceSchema.parse(base);
    const input = {
      service,
      slot: "blue" as const,
      image: "privatetrade:1",
      version: "1",
      deploymentId: "d1",
      env: {},
    };
    expect(() => buildContainerOptions({ ...input, image: "--privileged" })).toThrow(ValidationError);
    expect(() => buildContainerOptions({ ...input, env: { LD_PRELOAD: "/x.so" } })).toThrow(/LD_PRELOAD/);
    expect(() => buildContainerOptions({ ...input, deploymentId: "../x" })).toThrow(/Deployment id/);
    expect(() => buildContainerOptions({ ...input, deploymentId: "" })).toThrow(/Deployment id/);
  });
});
