import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDocker, pingDocker } from "./client";
import { buildDataImage } from "./docker-test-fixture";
import { imageHistory, inspectImage, listImages, pruneImages, removeImage } from "./images";

const REPO = "gltest-c-prune";
const run = Date.now().toString(36);
const tag = (t: string) => `${REPO}:${t}`;
const ids: Record<string, string> = {};
let holderId = "";

async function cleanup() {
  const docker = getDocker();
  if (holderId)
    await docker
      .getContainer(holderId)
      .remove({ force: true })
      .catch(() => undefined); // may already be gone
  for (const image of await listImages(REPO)) {
    for (const t of image.repoTags) await removeImage(t);
  }
}

beforeAll(async () => {
  await pingDocker();
  await cleanup();
  for (const t of ["a", "b", "c", "d"]) ids[t] = await buildDataImage(tag(t), `${run}-${t}`);
  // A stopped container still pins its image: prune must leave it alone.
  const holder = await getDocker().createContainer({
    Image: tag("b"),
    name: `gltest-c-holder-${run}`,
    Labels: { "gltest-c": "true" },
  });
  holderId = holder.id;
});

afterAll(cleanup);

describe("images against the real engine", () => {
  it("inspects an image, or returns null when absent", async () => {
    const image = await inspectImage(tag("a"));
    expect(image).toMatchObject({ id: ids.a, labels: { "gltest-c": "true" }, repoTags: [tag("a")] });
    expect(image?.size).toBeGreaterThan(0);
    expect(Date.parse(image?.created ?? "")).not.toBeNaN();
    expect(await inspectImage(tag("missing"))).toBeNull();
  });

  it("lists the history of the image's layers", async () => {
    const layers = await imageHistory(tag("a"));
    expect(layers.length).toBeGreaterThan(0);
    expect(layers.some((l) => l.createdBy.includes("COPY") && l.size > 0)).toBe(true);
    expect(layers.every((l) => !Number.isNaN(Date.parse(l.created)))).toBe(true);
  });

  it("lists only the repository's images", async () => {
    const images = await listImages(REPO);
    expect(images.map((i) => i.repoTags[0]).sort()).toEqual([tag("a"), tag("b"), tag("c"), tag("d")]);
    expect(await listImages(`${REPO}-none`)).toEqual([]);
  });

  it("prunes old tags but never kept ones nor images a container uses", async () => {
    expect(await pruneImages({ repository: REPO, olderThanMs: 24 * 3600_000, keep: [] })).toEqual([]);
    const removed = await pruneImages({ repository: REPO, olderThanMs: 0, keep: [tag("a"), ids.d!] });
    expect(removed).toEqual([tag("c")]);
    expect(await inspectImage(tag("a"))).not.toBeNull();
    expect(await inspectImage(tag("b"))).not.toBeNull();
    expect(await inspectImage(tag("c"))).toBeNull();
    expect(await inspectImage(tag("d"))).not.toBeNull();
  });

  it("reports an image in use or absent instead of throwing", async () => {
    expect(await removeImage(tag("b"))).toMatchObject({ removed: false, reason: expect.stringMatching(/^in use/) });
    await getDocker().getContainer(holderId).remove({ force: true });
    expect(await removeImage(tag("b"))).toEqual({ removed: true });
    expect(await removeImage(tag("b"))).toEqual({ removed: false, reason: "not present" });
  });
});
