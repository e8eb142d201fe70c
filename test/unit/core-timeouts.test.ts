import { formatDuration, parseDurationMs, timeoutMsFor, timeoutsSchema } from "../../provider/core/timeouts";

describe("timeouts", () => {
  it("parses Go-style durations and bare seconds", () => {
    expect(parseDurationMs("30m")).toBe(30 * 60_000);
    expect(parseDurationMs("1h30m")).toBe(90 * 60_000);
    expect(parseDurationMs("90s")).toBe(90_000);
    expect(parseDurationMs("1500ms")).toBe(1500);
    expect(parseDurationMs("45")).toBe(45_000);
    expect(parseDurationMs(2)).toBe(2000);
  });

  it("rejects anything else", () => {
    for (const bad of ["", "abc", "10x", "-5m", "0", "m30"]) expect(parseDurationMs(bad)).toBeUndefined();
    expect(timeoutsSchema.safeParse({ create: "soon" }).success).toBe(false);
    expect(timeoutsSchema.safeParse({ create: "10m", delete: "1h" }).success).toBe(true);
    expect(timeoutsSchema.safeParse({ forever: "1h" }).success).toBe(false);
  });

  it("falls back to the default per operation", () => {
    expect(timeoutMsFor(undefined, "create", 5)).toBe(5);
    expect(timeoutMsFor({ update: "2m" }, "create", 5)).toBe(5);
    expect(timeoutMsFor({ update: "2m" }, "update", 5)).toBe(120_000);
  });

  it("formats durations for messages", () => {
    expect(formatDuration(90 * 60_000)).toBe("1h30m");
    expect(formatDuration(45_000)).toBe("45s");
    expect(formatDuration(250)).toBe("250ms");
  });
});
