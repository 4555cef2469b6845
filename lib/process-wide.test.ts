import { describe, expect, it, vi } from "vitest";

describe("process-wide values", () => {
  it("are created once and shared by a second copy of the module, as two Next bundles load it", async () => {
    const first = await import("./process-wide");
    let created = 0;
    const a = first.processWide("test-shared", () => ({ n: ++created }));
    vi.resetModules();
    const second = await import("./process-wide");
    expect(second).not.toBe(first);
    const b = second.processWide("test-shared", () => ({ n: ++created }));
    expect(b).toBe(a);
    expect(created).toBe(1);
    expect(second.processWide("test-other", () => "other")).toBe("other");
  });

  it("a slot starts empty, and what one copy sets the other reads", async () => {
    const first = await import("./process-wide");
    const slot = first.processSlot<{ id: number }>("test-slot");
    expect(slot.get()).toBeUndefined();
    const value = slot.set({ id: 7 });
    vi.resetModules();
    const second = await import("./process-wide");
    expect(second.processSlot<{ id: number }>("test-slot").get()).toBe(value);
  });
});
