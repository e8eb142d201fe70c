import { orderWaitingJobs, pickJobsToStart, queuePositions, type WaitingJob } from "../../local/jobs/scheduler";

const waiting: WaitingJob[] = [
  { id: "a", seq: 1, priority: 5 },
  { id: "b", seq: 2, priority: null },
  { id: "c", seq: 3, priority: 0 },
  { id: "d", seq: 4, priority: 5 },
];

test("FIFO runs in submission order", () => {
  expect(orderWaitingJobs("FIFO", waiting).map((j) => j.id)).toEqual(["a", "b", "c", "d"]);
});

test("LIFO runs the newest first", () => {
  expect(orderWaitingJobs("LIFO", waiting).map((j) => j.id)).toEqual(["d", "c", "b", "a"]);
});

test("PRIORITY runs 0 first, ties in submission order, no priority last", () => {
  expect(orderWaitingJobs("PRIORITY", waiting).map((j) => j.id)).toEqual(["c", "a", "d", "b"]);
});

test("only free slots are filled", () => {
  expect(pickJobsToStart("FIFO", 2, 0, waiting)).toEqual(["a", "b"]);
  expect(pickJobsToStart("FIFO", 2, 1, waiting)).toEqual(["a"]);
  expect(pickJobsToStart("FIFO", 2, 2, waiting)).toEqual([]);
  // Lowering max_concurrency below the running count starts nothing (and stops nothing).
  expect(pickJobsToStart("FIFO", 1, 3, waiting)).toEqual([]);
});

test("positions follow the queue order", () => {
  expect([...queuePositions("LIFO", waiting)]).toEqual([
    ["d", 0],
    ["c", 1],
    ["b", 2],
    ["a", 3],
  ]);
});
