import next from "eslint-config-next";

export default [
  ...next,
  {
    ignores: [
      ".next/**",
      "node_modules/**",
      "examples/privatetrade/node_modules/**",
      "data/**",
      ".data/**",
      "test-results/**",
    ],
  },
  {
    // The server and the engine log through lib/log.ts (pino: JSON lines, secrets redacted), never the console.
    files: ["lib/**/*.{ts,tsx}", "app/**/*.{ts,tsx}"],
    ignores: ["**/*.test.ts", "lib/docker/docker-test-fixture.ts", "lib/docker/registry-test-fixture.ts"],
    rules: { "no-console": "error" },
  },
];
