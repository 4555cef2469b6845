/**
 * The pages' Content-Security-Policy: scripts only from this origin with this response's nonce (Next puts it on
 * every script it renders), never inline ones without it. Styles keep 'unsafe-inline' (charts set inline styles).
 * `next dev` also needs eval for its refresh runtime.
 */
export function contentSecurityPolicy(nonce: string, dev = process.env.NODE_ENV === "development"): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join("; ");
}
