import { recordAudit } from "@/lib/audit/record";
import type { Db } from "@/lib/db/client";
import { deployments } from "@/lib/db/schema";

export const deploymentId = (n: number) => `dep-${String(n).padStart(6, "0")}`;

/** One finished deployment and its audit row, in one transaction, as the engine writes them. */
export function writeDeployment(db: Db, n: number): void {
  const now = Date.now();
  db.$client
    .transaction(() => {
      db.insert(deployments)
        .values({
          id: deploymentId(n),
          service: "privatetrade",
          image: `privatetrade:2.0.${n}`,
          version: `2.0.${n}`,
          fromSlot: n % 2 ? "green" : "blue",
          toSlot: n % 2 ? "blue" : "green",
          status: "succeeded",
          phase: "done",
          requestedBy: "ci",
          createdAt: now,
          updatedAt: now,
          finishedAt: now,
        })
        .run();
      recordAudit(db, {
        actor: "token:ci",
        role: "release_manager",
        action: "deployment.start",
        target: `deployment:${deploymentId(n)}`,
        details: { version: `2.0.${n}`, padding: "x".repeat(400) },
      });
    })
    .immediate();
}
