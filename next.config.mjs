// Plain JavaScript on purpose: a next.config.ts makes `next start` load the SWC compiler (about 24 MB resident)
// only to read this file.

const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "X-Frame-Options", value: "DENY" },
];

// Pages get a per-request policy with a script nonce from proxy.ts; everything else (API answers, assets) this one.
const staticCsp = {
  key: "Content-Security-Policy",
  value:
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
};

const HSTS = { key: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" };

/** @type {import("next").NextConfig} */
const config = {
  serverExternalPackages: ["better-sqlite3", "dockerode", "ssh2", "cpu-features"],
  poweredByHeader: false,
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      { source: "/api/:path*", headers: [staticCsp] },
      { source: "/_next/:path*", headers: [staticCsp] },
      // When the proxy says the request came over HTTPS; browsers ignore HSTS over plain HTTP, so a forged header is harmless.
      { source: "/:path*", has: [{ type: "header", key: "x-forwarded-proto", value: "https" }], headers: [HSTS] },
    ];
  },
};

export default config;
