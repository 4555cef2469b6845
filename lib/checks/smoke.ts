import type { SmokeTest } from "@/lib/config/schema";
import { probe } from "./http-probe";
import { assertLoopbackUrl } from "./loopback";

type SmokeResult = {
  name: string;
  method: string;
  path: string;
  status?: number;
  ms: number;
  budgetMs: number;
  ok: boolean;
  reason?: string;
  /** The body of a failed answer, whole: the caller scrubs and cuts it before it is kept anywhere. */
  text?: string;
};

/** Read-only tests may run against the live slot: marked readOnly, or GET/HEAD when unmarked. */
export function isReadOnly(test: SmokeTest): boolean {
  return test.readOnly ?? (test.method === "GET" || test.method === "HEAD");
}

export function judgeSmoke(test: SmokeTest, answer: { status?: number; ms: number; error?: string }): SmokeResult {
  const base = { name: test.name, method: test.method, path: test.path, ms: answer.ms, budgetMs: test.budgetMs };
  if (answer.status === undefined) return { ...base, ok: false, reason: answer.error ?? "no answer" };
  const problems: string[] = [];
  if (!test.expect.includes(answer.status))
    problems.push(`answered ${answer.status}, expected ${test.expect.join(" or ")}`);
  if (answer.ms > test.budgetMs) problems.push(`took ${Math.round(answer.ms)} ms, budget ${test.budgetMs} ms`);
  return problems.length === 0
    ? { ...base, status: answer.status, ok: true }
    : { ...base, status: answer.status, ok: false, reason: problems.join("; ") };
}

/**
 * Runs the declared smoke tests one after another, in order, recording every result (a failure
 * does not skip the rest). Each request may run somewhat past its budget so the report can say
 * by how much; requestTimeoutMs bounds it.
 */
export async function runSmokeTests({
  baseUrl,
  tests,
  readOnlyOnly = false,
  signal,
  requestTimeoutMs,
}: {
  baseUrl: string;
  tests: SmokeTest[];
  readOnlyOnly?: boolean;
  signal?: AbortSignal;
  requestTimeoutMs?: number;
}): Promise<{ ok: boolean; results: SmokeResult[] }> {
  const base = assertLoopbackUrl(baseUrl).href.replace(/\/+$/, "");
  const selected = readOnlyOnly ? tests.filter(isReadOnly) : tests;
  const results: SmokeResult[] = [];
  for (const test of selected) {
    if (signal?.aborted) {
      results.push({
        name: test.name,
        method: test.method,
        path: test.path,
        ms: 0,
        budgetMs: test.budgetMs,
        ok: false,
        reason: "cancelled",
      });
      continue;
    }
    const timeoutMs = requestTimeoutMs ?? Math.max(5000, test.budgetMs * 4);
    const answer = await probe({ url: `${base}${test.path}`, method: test.method, body: test.body, timeoutMs, signal });
    const result = judgeSmoke(
      test,
      answer.ok ? { status: answer.status, ms: answer.ms } : { ms: answer.ms, error: answer.error },
    );
    results.push(answer.ok && !result.ok ? { ...result, text: answer.text } : result);
  }
  return { ok: results.every((r) => r.ok), results };
}
