import type Database from "better-sqlite3";
import type { Reply } from "./http";

interface RouteContext {
  db: Database.Database;
  params: string[];
  body: unknown;
}

export interface Route {
  method: "GET" | "POST" | "DELETE";
  path: RegExp;
  handler: (ctx: RouteContext) => Reply;
}

export function matchRoute(routes: readonly Route[], method: string, pathname: string) {
  for (const route of routes) {
    if (route.method !== method) continue;
    const m = route.path.exec(pathname);
    if (m) return { route, params: m.slice(1).map((p) => decodeURIComponent(p ?? "")) };
  }
  return null;
}
