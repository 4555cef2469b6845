/**
 * A same-site path to go to after sign-in; anything else (other hosts, `//x`, `/\x`, odd characters) becomes `/`.
 * The normalised result is checked as well as the input: `/.//evil.example` normalises to `//evil.example`.
 */
export function safeNextPath(value: unknown): string {
  if (typeof value !== "string" || value.length > 512) return "/";
  if (!sameSitePath(value) || /[\u0000-\u001f\u007f\\]/.test(value)) return "/";
  try {
    const url = new URL(value, "http://greenlight.invalid");
    if (url.origin !== "http://greenlight.invalid" || url.pathname.startsWith("/login")) return "/";
    const result = url.pathname + url.search + url.hash;
    return sameSitePath(result) ? result : "/";
  } catch {
    return "/";
  }
}

function sameSitePath(path: string): boolean {
  return path.startsWith("/") && !path.startsWith("//") && !path.startsWith("/\\");
}
