/** `{"a":1,"b":"x"}` -> `a=1 b=x`; nested values stay JSON. Details are stored already redacted. */
export function compactDetails(details: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(details);
  } catch {
    return details;
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return JSON.stringify(parsed);
  return Object.entries(parsed as Record<string, unknown>)
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(" ");
}

const SHORT = 80;

function pretty(details: string): string {
  try {
    return JSON.stringify(JSON.parse(details), null, 2);
  } catch {
    return details; // not JSON: shown as stored
  }
}

export function DetailsCell({ details }: { details: string }) {
  const text = compactDetails(details);
  if (!text || text === "{}") return <span className="text-zinc-500">–</span>;
  if (text.length <= SHORT) return <code className="font-mono text-xs break-all text-zinc-300">{text}</code>;
  return (
    <details className="max-w-[28rem] text-xs">
      <summary className="cursor-pointer rounded font-mono text-zinc-300 focus-visible:outline-2 focus-visible:outline-emerald-400">
        {text.slice(0, SHORT)}…
      </summary>
      <pre className="mt-1 font-mono break-all whitespace-pre-wrap text-zinc-300">{pretty(details)}</pre>
    </details>
  );
}
