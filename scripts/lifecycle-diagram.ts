/**
 * Prints the deployment lifecycle (lib/deploy/lifecycle.ts's TRANSITIONS) as a Mermaid state diagram.
 * `--write` puts it between the lifecycle markers of docs/architecture.md instead.
 *
 *   npx tsx scripts/lifecycle-diagram.ts [--write]
 */
import fs from "node:fs";
import path from "node:path";
import { lifecycleDiagram, withDiagram } from "@/lib/deploy/lifecycle-diagram";

const DOC = path.resolve(__dirname, "../docs/architecture.md");

if (process.argv.includes("--write")) {
  fs.writeFileSync(DOC, withDiagram(fs.readFileSync(DOC, "utf8")));
  console.log(`updated the lifecycle diagram in ${path.relative(process.cwd(), DOC)}`);
} else console.log(lifecycleDiagram());
