import fs from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "@/scripts/stack/example-stack";
import { BUILD_DIR } from "./console-server";

/** One server action the build exposes: its id, the source module and export, and the pages that carry it. */
export type BuiltAction = { id: string; file: string; exportedName: string; pages: string[] };

type ManifestEntry = { workers: Record<string, unknown>; filename?: string; exportedName?: string };

/** Every server action in `.next/server/server-reference-manifest.json` (Node runtime). */
export function builtActions(): BuiltAction[] {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(BUILD_DIR, "server/server-reference-manifest.json"), "utf8"),
  ) as {
    node: Record<string, ManifestEntry>;
    edge: Record<string, ManifestEntry>;
  };
  if (Object.keys(manifest.edge ?? {}).length > 0) throw new Error("edge server actions appeared: enumerate them too");
  return Object.entries(manifest.node).map(([id, entry]) => {
    if (!entry.filename || !entry.exportedName)
      throw new Error(`action ${id} has no filename/exportedName in the manifest`);
    return { id, file: entry.filename, exportedName: entry.exportedName, pages: Object.keys(entry.workers) };
  });
}

/** One route handler the build exposes: its URL pattern (`/api/v1/deployments/[id]`) and its source file. */
export type BuiltRoute = { pattern: string; source: string; methods: string[] };

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** Exported HTTP methods of a route module, read from its source (`export async function POST`, `export const GET =`). */
export function exportedMethods(sourceText: string): string[] {
  return METHODS.filter((m) =>
    new RegExp(`export\\s+(async\\s+)?(function\\s+${m}\\b|const\\s+${m}\\b)|export\\s*\\{[^}]*\\b${m}\\b`).test(
      sourceText,
    ),
  );
}

/** Every route handler in `.next/server/app-paths-manifest.json`, with the methods its source module exports. */
export function builtRoutes(): BuiltRoute[] {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(BUILD_DIR, "server/app-paths-manifest.json"), "utf8"),
  ) as Record<string, string>;
  return Object.keys(manifest)
    .filter((k) => k.endsWith("/route"))
    .map((k) => {
      const dir = k.slice(0, -"/route".length);
      const source = ["ts", "tsx", "js"]
        .map((ext) => path.join(REPO_ROOT, "app", `${dir}/route.${ext}`))
        .find((f) => fs.existsSync(f));
      if (!source) throw new Error(`no source for built route ${k}`);
      const pattern = dir.replace(/\/\([^)]+\)/g, "") || "/";
      return { pattern, source, methods: exportedMethods(fs.readFileSync(source, "utf8")) };
    });
}

/** A page or route pattern with its dynamic segments filled: `[name]` from `values`, keyed by the segment before it too. */
export function fillPattern(pattern: string, values: (segment: string, parent: string) => string): string {
  const parts = pattern.replace(/\/\([^)]+\)/g, "").split("/");
  return (
    parts
      .map((p, i) => {
        const m = /^\[(\.\.\.)?([^\]]+)\]$/.exec(p);
        return m ? encodeURIComponent(values(m[2]!, parts[i - 1] ?? "")) : p;
      })
      .join("/") || "/"
  );
}

/** The URL of a page from the manifest's worker key (`app/(console)/services/[name]/page`). */
export function pageUrl(worker: string, values: (segment: string, parent: string) => string): string {
  return fillPattern(worker.replace(/^app/, "").replace(/\/page$/, ""), values);
}
