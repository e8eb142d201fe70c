// The Job wait's log follower: spaced reads, a new run starts afresh, failures skipped, lines masked and cut.
import { FOLLOWED_LINE_MAX_CHARS, followIntervalMs, LogFollower } from "../../provider/job/log-follow";
import { decideJobWait } from "../../provider/job/wait-rules";

function follower(tails: Record<string, Array<string[] | Error>>, clock: { t: number }) {
  const reads: string[] = [];
  const instance = new LogFollower({
    readTail: async (runId) => {
      reads.push(runId);
      const next = tails[runId].shift()!;
      if (next instanceof Error) throw next;
      return next;
    },
    secrets: ["hunter2-secret"],
    intervalMs: 1000,
    now: () => clock.t,
  });
  return { instance, reads };
}

describe("LogFollower", () => {
  it("reads at most once per interval and keeps the newest non-empty line in between", async () => {
    const clock = { t: 0 };
    const { instance, reads } = follower({ r1: [["a", "b", ""], ["c"]] }, clock);
    expect(await instance.newestLine(undefined)).toBeUndefined();
    expect(await instance.newestLine("r1")).toBe("b");
    clock.t = 500;
    expect(await instance.newestLine("r1")).toBe("b");
    clock.t = 1000;
    expect(await instance.newestLine("r1")).toBe("c");
    expect(reads).toEqual(["r1", "r1"]);
  });

  it("starts afresh on a new run, and a failed read keeps what it had", async () => {
    const clock = { t: 0 };
    const { instance } = follower({ r1: [["old run"]], r2: [new Error("503"), ["retry run"]] }, clock);
    expect(await instance.newestLine("r1")).toBe("old run");
    expect(await instance.newestLine("r2")).toBeUndefined();
    clock.t = 1000;
    expect(await instance.newestLine("r2")).toBe("retry run");
  });

  it("masks secrets and cuts long lines", async () => {
    const { instance } = follower({ r: [[`key=hunter2-secret ${"x".repeat(400)}`]] }, { t: 0 });
    const line = (await instance.newestLine("r"))!;
    expect(line).not.toContain("hunter2-secret");
    expect(line.length).toBe(FOLLOWED_LINE_MAX_CHARS);
    expect(line.endsWith("…")).toBe(true);
  });

  it("shares the process's allowance of reads: a follower finding none keeps its line and reads at a later observation", async () => {
    const clock = { t: 0 };
    let allowance = 1;
    const reads: string[] = [];
    const make = (runId: string) =>
      new LogFollower({ readTail: async () => (reads.push(runId), [`line of ${runId}`]), secrets: [], intervalMs: 1000, now: () => clock.t, reads: { tryTake: () => allowance-- > 0 } });
    const [a, b] = [make("a"), make("b")];
    expect(await a.newestLine("a")).toBe("line of a");
    expect(await b.newestLine("b")).toBeUndefined(); // none left: no read
    allowance = 1;
    expect(await b.newestLine("b")).toBe("line of b"); // its interval had passed; the next observation reads
    expect(reads).toEqual(["a", "b"]);
  });

  it("spaces reads five observation rounds apart when the round is set, else 5 s", () => {
    expect(followIntervalMs({ ANYSCALE_POLL_INTERVAL_MS: "20" })).toBe(100);
    expect(followIntervalMs({})).toBe(5000);
  });

  it("the wait's progress line carries the followed line", () => {
    expect(decideJobWait({ backendState: "RUNNING", newestLogLine: "epoch 3" }, "succeeded")).toEqual({ kind: "retry", progress: "job is RUNNING · epoch 3" });
    expect(decideJobWait({ backendState: "PENDING" }, "succeeded")).toEqual({ kind: "retry", progress: "job is STARTING (PENDING)" });
  });
});
