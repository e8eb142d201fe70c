import { parallelismHint } from "../../sdk/parallelism-hint";

describe("the parallelism hint of the TypeScript classes", () => {
  it("says nothing while every waiting resource has a slot, or when the engine's parallelism is unknown", () => {
    expect(parallelismHint(8, 8)).toBeUndefined();
    expect(parallelismHint(3, 8)).toBeUndefined();
    expect(parallelismHint(20, 0)).toBeUndefined();
  });

  it("names both numbers and the flag that lifts the limit when more wait than the engine runs at once", () => {
    const message = parallelismHint(20, 8)!;
    expect(message).toContain("20 Services and Jobs");
    expect(message).toContain("runs 8 operations at once");
    expect(message).toContain("pulumi up --parallel 20");
    expect(message).toContain("PULUMI_PARALLEL=20");
  });
});
