import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildPrivatetradeImages } from "@/examples/privatetrade/build-images";
import { createExampleStack, type ExampleStack, type ExampleStackOptions } from "./example-stack";
import { stopStaleNginx } from "./stale-nginx";

export type TempStack = ExampleStack & { cleanup: () => Promise<void> };

/**
 * The example stack in a temp dir of its own, for tests and benchmarks: ports `basePort` (nginx), +1 (blue) and
 * +2 (green), a unique service name, images built, no bake window. `cleanup` stops it and removes the dir.
 */
export async function openTempStack(input: {
  name: string;
  basePort: number;
  healthDeadlineSeconds: number;
  adjust?: ExampleStackOptions["adjust"];
  versions?: string[];
  more?: ExampleStackOptions["more"];
  registries?: ExampleStackOptions["registries"];
}): Promise<TempStack> {
  await buildPrivatetradeImages();
  if (input.versions?.length) await buildPrivatetradeImages({ versions: input.versions });
  // Sweep what a killed run of this same stack left: its nginx would hold the port.
  await stopStaleNginx(os.tmpdir(), input.name);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `${input.name}-`));
  let stack: ExampleStack;
  try {
    stack = await createExampleStack({
      root,
      lbPort: input.basePort,
      bluePort: input.basePort + 1,
      greenPort: input.basePort + 2,
      service: input.name,
      sweepOrphans: true,
      more: input.more,
      registries: input.registries,
      adjust: (svc) => {
        svc.image = "privatetrade";
        svc.watch.bakeSeconds = 0;
        svc.health.deadlineSeconds = input.healthDeadlineSeconds;
        input.adjust?.(svc);
      },
    });
  } catch (error) {
    fs.rmSync(root, { recursive: true, force: true });
    throw error;
  }
  return {
    ...stack,
    cleanup: async () => {
      try {
        await stack.stop();
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    },
  };
}
