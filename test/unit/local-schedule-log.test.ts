// The plane's schedule of service phases: a write starts a phase when it arrives, a timed transition
// starts the next at the previous phase's due time, a rest is recorded at the last due time, and a
// save that changes no phase records nothing.
import { ScheduleLog } from "../../local/services/schedule-log";

const SVC = { id: "service2_a", name: "a" };

test("a chain from a write to a scheduled rest", () => {
  const log = new ScheduleLog();
  log.record(SVC, { kind: "canary_starting", versionId: "v2", dueAt: 61_000 }, 1_000);
  // The same phase saved again (another write that changed nothing on the schedule).
  log.record(SVC, { kind: "canary_starting", versionId: "v2", dueAt: 61_000 }, 5_000);
  // The timer fires late (at 61 300): the next phase still begins at 61 000.
  log.record(SVC, { kind: "canary_step", versionId: "v2", dueAt: 71_000 }, 61_300);
  log.record(SVC, null, 71_050);
  expect(log.read()).toEqual([
    { serviceId: "service2_a", name: "a", kind: "canary_starting", versionId: "v2", from: 1_000, dueAt: 61_000 },
    { serviceId: "service2_a", name: "a", kind: "canary_step", versionId: "v2", from: 61_000, dueAt: 71_000 },
    { serviceId: "service2_a", name: "a", kind: "settled", versionId: null, from: 71_000, dueAt: 71_000 },
  ]);
});

test("a write that replaces a phase before it is due starts the new one at its arrival", () => {
  const log = new ScheduleLog();
  log.record(SVC, { kind: "starting", versionId: "v1", dueAt: 60_000 }, 0);
  log.record(SVC, { kind: "terminating", dueAt: 40_000 }, 10_000);
  expect(log.read()[1]).toMatchObject({ kind: "terminating", versionId: null, from: 10_000, dueAt: 40_000 });
});

test("clear empties it; a forgotten service starts a new chain; the log is bounded", () => {
  const log = new ScheduleLog(3);
  for (let i = 0; i < 5; i++) log.record({ id: `s${i}`, name: `n${i}` }, { kind: "starting", versionId: "v", dueAt: 100 }, 0);
  expect(log.read().map((e) => e.serviceId)).toEqual(["s2", "s3", "s4"]);
  log.clear();
  expect(log.read()).toEqual([]);
  log.forget("s4");
  log.record({ id: "s4", name: "n4" }, { kind: "starting", versionId: "v", dueAt: 100 }, 0);
  expect(log.read()).toHaveLength(1);
});
