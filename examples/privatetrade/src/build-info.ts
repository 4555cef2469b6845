declare const __APP_VERSION__: string;
declare const __APP_FEATURES__: string;

/** Baked in at bundle time by scripts/build-images.sh (esbuild `define`); the fallbacks serve tsx runs. */
export const APP_VERSION: string = typeof __APP_VERSION__ === "string" ? __APP_VERSION__ : "0.0.0-dev";
export const APP_FEATURES: readonly string[] = (typeof __APP_FEATURES__ === "string" ? __APP_FEATURES__ : "v1")
  .split(",")
  .map((f) => f.trim())
  .filter(Boolean);

export const hasStockSelection = (): boolean => APP_FEATURES.includes("v2");
