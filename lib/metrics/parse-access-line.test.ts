import { describe, expect, it } from "vitest";
import { parseAccessLine } from "./parse-access-line";
import { buildAttribution, lastAddress } from "./attribute-upstream";
import { configSchema } from "@/lib/config/schema";

const line = (o: { ts: string; status: number; rt: string; up: string; uri?: string }) =>
  `{"time":"2026-11-26T08:45:14+00:00","ts":${o.ts},"status":${o.status},"request_time":${o.rt},"upstream_addr":"${o.up}","upstream_status":"${o.status}","method":"GET","uri":"${o.uri ?? "/"}","bytes":12}`;

describe("parseAccessLine", () => {
  it("extracts exactly what JSON.parse reads from the same line", () => {
    let seed = 3;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 5000; i++) {
      const text = line({
        ts: `${1_795_000_000 + Math.floor(next() * 100_000)}.${String(Math.floor(next() * 1000)).padStart(3, "0")}`,
        status: [200, 201, 304, 404, 499, 500, 502, 504][Math.floor(next() * 8)]!,
        rt: (Math.floor(next() * 70_000) / 1000).toFixed(3),
        up: ["127.0.0.1:44001", "", "127.0.0.1:44001, 127.0.0.1:44002", "greenlight_app"][Math.floor(next() * 4)]!,
        uri: `/api/${i}`,
      });
      const j = JSON.parse(text) as { ts: number; status: number; request_time: number; upstream_addr: string };
      expect(parseAccessLine(text)).toEqual({
        ts: j.ts,
        status: j.status,
        requestTimeMs: j.request_time * 1000,
        upstreamAddr: j.upstream_addr,
      });
    }
  });

  it("is not fooled by a uri that imitates the fields", () => {
    const text = line({
      ts: "1795000000.5",
      status: 200,
      rt: "0.010",
      up: "127.0.0.1:1",
      uri: '/x\\"status\\":500,\\"request_time\\":9',
    });
    expect(parseAccessLine(text)).toMatchObject({ status: 200, requestTimeMs: 10, upstreamAddr: "127.0.0.1:1" });
  });

  it("reads the upstream's name when the line has it, and a uri cannot supply one", () => {
    const base = line({ ts: "1795000000.5", status: 502, rt: "0.001", up: "127.0.0.1:3001" });
    const named = base.replace('"method"', '"upstream":"greenlight_reports","method"');
    expect(parseAccessLine(named)).toEqual({
      ts: 1795000000.5,
      status: 502,
      requestTimeMs: 1,
      upstreamAddr: "127.0.0.1:3001",
      upstream: "greenlight_reports",
    });
    const spoof = line({
      ts: "1795000000.5",
      status: 200,
      rt: "0.001",
      up: "127.0.0.1:1",
      uri: '/x\\"upstream\\":\\"greenlight_shop',
    });
    expect(parseAccessLine(spoof)?.upstream).toBeUndefined();
  });

  it("rejects lines that are not in the format", () => {
    for (const bad of [
      "",
      "GET / HTTP/1.1 200",
      '{"ts":,"status":200}',
      '{"ts":1.5,"status":"x"}',
      line({ ts: "1.", status: 200, rt: "0", up: "" }),
      '{"ts":1,"status":200,"request_time":0.1,"upstream_addr":"abc',
    ]) {
      expect(parseAccessLine(bad)).toBeNull();
    }
  });
});

describe("service attribution by the upstream's name", () => {
  const config = configSchema.parse({
    nginx: { mainConfig: "/x", upstreamDir: "/y", lbUrl: "http://127.0.0.1:1" },
    services: [
      { name: "shop", image: "shop", slots: { blue: { port: 3000 }, green: { port: 3001 } } },
      {
        name: "shop-eu",
        image: "shop",
        slots: { blue: { port: 5000 }, green: { port: 5001 } },
        route: { pathPrefix: "/eu/" },
      },
    ],
  });
  const attribute = buildAttribution(config, () => ({ shop: "blue", "shop-eu": "green" }));

  it("names the service even when nginx answered without reaching a slot", () => {
    expect(attribute("127.0.0.1:5001", "greenlight_shop_eu")).toEqual({ service: "shop-eu", slot: "green" });
    expect(attribute("127.0.0.1:5000", "greenlight_shop_eu")).toEqual({ service: "shop-eu", slot: "blue" });
    expect(attribute("", "greenlight_shop_eu")).toEqual({ service: "shop-eu", slot: "green" });
    expect(attribute("greenlight_shop_eu", "greenlight_shop_eu")).toEqual({ service: "shop-eu", slot: "green" });
    expect(attribute("", "greenlight_shop")).toEqual({ service: "shop", slot: "blue" });
    // The name wins over an address of another service's slot (a hand-edited upstream): the colour is the live one.
    expect(attribute("127.0.0.1:3000", "greenlight_shop_eu")).toEqual({ service: "shop-eu", slot: "green" });
    expect(attribute("", "")).toEqual({ service: "unknown", slot: "unknown" });
  });
});

describe("colour attribution", () => {
  const config = configSchema.parse({
    nginx: { mainConfig: "/x", upstreamDir: "/y", lbUrl: "http://127.0.0.1:1" },
    services: [
      { name: "shop", image: "shop", slots: { blue: { port: 3000 }, green: { port: 3001 } } },
      { name: "api", image: "api", slots: { blue: { port: 4000 }, green: { port: 4001 } } },
    ],
  });
  const live = { shop: "green" as const, api: undefined };
  const attribute = buildAttribution(config, () => live);

  it("maps slot ports to service and colour, the last tried upstream answering", () => {
    expect(attribute("127.0.0.1:3000")).toEqual({ service: "shop", slot: "blue" });
    expect(attribute("127.0.0.1:4001")).toEqual({ service: "api", slot: "green" });
    expect(attribute("127.0.0.1:3000, 127.0.0.1:3001")).toEqual({ service: "shop", slot: "green" });
    expect(attribute("127.0.0.1:3000 : 127.0.0.1:4000")).toEqual({ service: "api", slot: "blue" });
    expect(lastAddress(" 127.0.0.1:9 ")).toBe("127.0.0.1:9");
  });

  it("gives failures nginx answered itself to the live colour when it is known", () => {
    expect(attribute("greenlight_shop")).toEqual({ service: "shop", slot: "green" });
    expect(attribute("greenlight_api")).toEqual({ service: "api", slot: "unknown" });
    expect(attribute("")).toEqual({ service: "unknown", slot: "unknown" });
    expect(attribute("127.0.0.1:9999")).toEqual({ service: "unknown", slot: "unknown" });
    // A service whose name is part of another's is not taken for it.
    expect(attribute("greenlight_shop_eu")).toEqual({ service: "unknown", slot: "unknown" });
    const single = buildAttribution({ services: config.services.slice(0, 1) }, () => live);
    expect(single("")).toEqual({ service: "shop", slot: "green" });
  });
});
