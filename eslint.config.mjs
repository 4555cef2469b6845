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
];
