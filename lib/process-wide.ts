/**
 * Values the whole server process shares. Next loads a module once per server bundle (route handlers, server
 * actions, instrumentation), so a module-level `const` can exist several times in one process; these live in one
 * registry on `globalThis` instead, each created on first use under its name.
 */
const REGISTRY = Symbol.for("greenlight.process-wide");
const registry = (): Map<string, unknown> =>
  ((globalThis as unknown as Record<symbol, Map<string, unknown> | undefined>)[REGISTRY] ??= new Map());

/** The process's one value named `name`, created by `create` the first time any bundle asks. */
export function processWide<T>(name: string, create: () => T): T {
  const values = registry();
  if (!values.has(name)) values.set(name, create());
  return values.get(name) as T;
}

/** A process-wide slot that starts empty and is set later (the engine once it starts). */
export function processSlot<T>(name: string): { get(): T | undefined; set(value: T): T } {
  return {
    get: () => registry().get(name) as T | undefined,
    set: (value) => (registry().set(name, value), value),
  };
}
