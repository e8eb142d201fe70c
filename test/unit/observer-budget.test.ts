// The shared poller's budget scales with what waits: a round that needs many list pages gets the rate
// to read them within one interval, never more than the ceiling; with little waiting the base rate holds.
import { SharedObserver, type BatchSource } from "../../provider/core/observer";
import { TokenBucket, type ObserverClock } from "../../provider/core/request-budget";

function virtualClock(): ObserverClock {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms) => {
      await new Promise((resolve) => setImmediate(resolve));
      now += ms;
    },
  };
}

const PAGE = 50;
/** A list-paging source: one request per 50 keys, stamped with the virtual time it was sent. */
function pagingSource(clock: ObserverClock, sentAt: number[]): BatchSource<string> {
  return {
    plannedRequests: (count) => Math.ceil(count / PAGE),
    async fetch(keys, budget) {
      for (let page = 0; page < Math.ceil(keys.length / PAGE); page++) {
        await budget.take();
        sentAt.push(clock.now());
      }
      return new Map(keys.map((key) => [key, "ok"]));
    },
  };
}

const observerOptions = (clock: ObserverClock) => ({
  intervalMs: 1000,
  maxRequestsPerSecond: 2,
  burst: 4,
  ceilingRequestsPerSecond: 10,
  maxOutageIntervalMs: 5000,
  staleAfterMs: 60_000,
  unseenTimeoutMs: 600_000,
  clock,
});

async function roundOf(keyCount: number): Promise<{ sentAt: number[]; observer: SharedObserver }> {
  const clock = virtualClock();
  const observer = new SharedObserver(observerOptions(clock));
  const sentAt: number[] = [];
  observer.addSource("things", pagingSource(clock, sentAt));
  await Promise.all(Array.from({ length: keyCount }, (_, i) => observer.next("things", `k${i}`)));
  return { sentAt, observer };
}

test("400 waiting keys (8 pages) are read within one interval, not at the base 2 requests/s", async () => {
  const { sentAt, observer } = await roundOf(400);
  expect(sentAt).toHaveLength(8);
  expect(sentAt[sentAt.length - 1]).toBeLessThanOrEqual(1000);
  expect(observer.stats.budgetPerSecond).toBe(10); // 8 pages refilled in half an interval: 16/s, held to the ceiling
});

test("200 waiting keys (4 pages): refilled in half an interval, so every round's pages go out at once", async () => {
  const { sentAt, observer } = await roundOf(200);
  expect(observer.stats.budgetPerSecond).toBe(8);
  expect(sentAt).toEqual([0, 0, 0, 0]);
});

test("the ceiling holds whatever waits: 2,000 keys (40 pages) at most 10 requests/s", async () => {
  const { sentAt, observer } = await roundOf(2000);
  expect(observer.stats.budgetPerSecond).toBe(10);
  // After the burst (10), one request per 100 ms at most.
  const afterBurst = sentAt.slice(10);
  for (let i = 1; i < afterBurst.length; i++) expect(afterBurst[i] - afterBurst[i - 1]).toBeGreaterThanOrEqual(100);
  expect(sentAt).toHaveLength(40);
  expect(sentAt[sentAt.length - 1]).toBeGreaterThanOrEqual(3000);
});

test("little waiting keeps the base rate", async () => {
  const { observer } = await roundOf(20);
  expect(observer.stats.budgetPerSecond).toBe(2);
});

test("TokenBucket.setRate applies from now on", async () => {
  const clock = virtualClock();
  const bucket = new TokenBucket(1, 1, clock);
  await bucket.take();
  bucket.setRate(10, 1);
  const before = clock.now();
  await bucket.take();
  expect(clock.now() - before).toBeLessThanOrEqual(100);
  expect(bucket.ratePerSecond).toBe(10);
});
