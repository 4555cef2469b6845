import { describe, expect, it } from "vitest";
import { buildPrivatetradeImages } from "@/examples/privatetrade/build-images";
import { linkableSource, ociLabels, readOciLabels } from "./oci-labels";

describe("OCI image annotations", () => {
  it("picks title, version, revision and source, trimmed and bounded, and nothing else", () => {
    expect(
      ociLabels({
        "org.opencontainers.image.title": " PrivateTrade ",
        "org.opencontainers.image.version": "2.0.0",
        "org.opencontainers.image.revision": "4f1c2a9e8b7d6c5a4f3e2d1c0b9a8f7e6d5c4b3a",
        "org.opencontainers.image.source": "https://git.example.com/privatetrade",
        "org.opencontainers.image.vendor": "not shown",
        "greenlight.example": "privatetrade",
      }),
    ).toEqual({
      title: "PrivateTrade",
      version: "2.0.0",
      revision: "4f1c2a9e8b7d6c5a4f3e2d1c0b9a8f7e6d5c4b3a",
      source: "https://git.example.com/privatetrade",
    });
    expect(ociLabels({ "org.opencontainers.image.title": "x".repeat(1000) })?.title).toHaveLength(300);
    expect(ociLabels({ "org.opencontainers.image.title": "  " })).toBeNull();
    expect(ociLabels({})).toBeNull();
  });

  it("links a source only when it is a web address", () => {
    expect(linkableSource("https://git.example.com/p")).toBe("https://git.example.com/p");
    expect(linkableSource("javascript:alert(1)")).toBeNull();
    expect(linkableSource("git@git.example.com:p.git")).toBeNull();
    expect(linkableSource(undefined)).toBeNull();
  });

  it("reads them from the Docker engine, and gives nothing for an image that is not there", async () => {
    await buildPrivatetradeImages();
    expect(await readOciLabels("privatetrade:2.0.0")).toEqual({
      title: "PrivateTrade Backtesting Simulator",
      version: "2.0.0",
    });
    expect(await readOciLabels("privatetrade:0.0.0-never-built")).toBeNull();
  }, 120_000);
});
