import { decideRunOutcome, type RunEnd } from "../../local/jobs/run-outcome";

const exit = (code: number | null, extra: Partial<RunEnd> = {}): RunEnd => ({ exitCode: code, signal: null, timedOut: false, terminated: false, ...extra });

test("exit 0 succeeds", () => {
  expect(decideRunOutcome(exit(0), 1, 1)).toMatchObject({ runStatus: "SUCCEEDED", jobState: "SUCCESS", retry: false });
});

test("a failure with retries left restarts; the last allowed attempt runs out of retries", () => {
  expect(decideRunOutcome(exit(2), 1, 2)).toMatchObject({ runStatus: "FAILED", jobState: "RESTARTING", retry: true });
  expect(decideRunOutcome(exit(2), 2, 2)).toMatchObject({ jobState: "RESTARTING", retry: true });
  const last = decideRunOutcome(exit(2), 3, 2);
  expect(last).toMatchObject({ runStatus: "FAILED", jobState: "OUT_OF_RETRIES", retry: false });
  expect(last.jobError).toMatch(/exited with code 2/);
  expect(last.jobError).toMatch(/3 of 3 attempts/);
});

test("max_retries 0 means a single attempt", () => {
  expect(decideRunOutcome(exit(1), 1, 0)).toMatchObject({ jobState: "OUT_OF_RETRIES", retry: false });
});

test("a timeout is a failed attempt naming timeout_s", () => {
  const outcome = decideRunOutcome(exit(null, { signal: "SIGTERM", timedOut: true }), 1, 0, 5);
  expect(outcome).toMatchObject({ runStatus: "FAILED", jobState: "OUT_OF_RETRIES" });
  expect(outcome.runError).toMatch(/timeout_s=5/);
});

test("terminate wins over everything, even exit 0", () => {
  expect(decideRunOutcome(exit(0, { terminated: true }), 1, 5)).toMatchObject({ runStatus: "STOPPED", jobState: "TERMINATED", retry: false });
  expect(decideRunOutcome(exit(null, { signal: "SIGTERM", terminated: true, timedOut: true }), 1, 5)).toMatchObject({ jobState: "TERMINATED" });
});

test("a lost process and a setup error are failed attempts with their own messages", () => {
  expect(decideRunOutcome(exit(null, { lost: true }), 1, 0).jobError).toMatch(/process was lost/);
  expect(decideRunOutcome(exit(null, { setupError: "package missing" }), 1, 1)).toMatchObject({ jobState: "RESTARTING", runError: expect.stringMatching(/package missing/) });
});
