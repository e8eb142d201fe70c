import { reportProgress, withProgress } from "../../provider/core/progress";
import { registerSecret } from "../../provider/core/redact";

describe("progress channel", () => {
  it("sends lines only to the scope of the operation that reported them, across awaits", async () => {
    const first: string[] = [];
    const second: string[] = [];
    const step = async (label: string) => {
      await new Promise((resolve) => setImmediate(resolve));
      reportProgress(label);
    };
    await Promise.all([
      withProgress((line) => first.push(line), async () => { await step("a1"); await step("a2"); }),
      withProgress((line) => second.push(line), async () => { await step("b1"); }),
    ]);
    reportProgress("outside any scope");
    expect(first).toEqual(["a1", "a2"]);
    expect(second).toEqual(["b1"]);
  });

  it("redacts registered secrets and survives a failing sink", async () => {
    registerSecret("progress-secret-token-123456");
    const lines: string[] = [];
    await withProgress((line) => lines.push(line), async () => reportProgress("token progress-secret-token-123456 seen"));
    expect(lines[0]).not.toContain("progress-secret-token-123456");
    await expect(withProgress(() => { throw new Error("sink broke"); }, async () => { reportProgress("x"); return 1; })).resolves.toBe(1);
  });
});
