import { describe, expect, it } from "vitest";
import { ValidationError } from "@/lib/errors";
import { dockerConnectionOptions, dockerStatusCode, pingDocker } from "./client";

describe("dockerConnectionOptions", () => {
  it("defaults to the system socket and honours unix:// and loopback tcp://", () => {
    expect(dockerConnectionOptions(undefined)).toEqual({ socketPath: "/var/run/docker.sock" });
    expect(dockerConnectionOptions("")).toEqual({ socketPath: "/var/run/docker.sock" });
    expect(dockerConnectionOptions("unix:///run/user/0/docker.sock")).toEqual({
      socketPath: "/run/user/0/docker.sock",
    });
    expect(dockerConnectionOptions("tcp://127.0.0.1:2375")).toEqual({
      protocol: "http",
      host: "127.0.0.1",
      port: 2375,
    });
    expect(dockerConnectionOptions("tcp://localhost")).toEqual({ protocol: "http", host: "127.0.0.1", port: 2375 });
  });

  it.each([
    "tcp://10.0.0.5:2375",
    "tcp://docker.example.com:2375",
    "ssh://user@host",
    "unix://relative.sock",
    "npipe:////./pipe/docker",
  ])("refuses %s", (host) => {
    expect(() => dockerConnectionOptions(host)).toThrow(ValidationError);
  });
});

describe("engine", () => {
  it("answers a ping on this machine", async () => {
    await expect(pingDocker()).resolves.toBeUndefined();
  });
  it("reads status codes from engine errors", () => {
    expect(dockerStatusCode(Object.assign(new Error("x"), { statusCode: 404 }))).toBe(404);
    expect(dockerStatusCode(new Error("x"))).toBeUndefined();
    expect(dockerStatusCode(null)).toBeUndefined();
  });
});
