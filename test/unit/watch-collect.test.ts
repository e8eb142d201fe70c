// How the shared poller's sources read what waits (provider/anyscale/watch.ts collectWaited): list
// pages first, by-id reads only for what no page shows, and no more pages than they can save.
import { collectWaited, watchedList, type ListPage, type WatchedList } from "../../provider/anyscale/watch";

type Item = { id: string };
const ids = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

/** A list of these ids, newest first, in pages of 50; counts the pages read. */
function list(items: string[], reads: { pages: number }): ListPage<Item> {
  return async (token) => {
    reads.pages++;
    const start = token === undefined ? 0 : Number(token);
    const next = start + 50;
    return { items: items.slice(start, next).map((id) => ({ id })), nextPagingToken: next < items.length ? String(next) : null };
  };
}

async function collect(keys: string[], pages: Array<ListPage<Item> | WatchedList<Item>>) {
  const lists = pages.map((page) => (typeof page === "function" ? watchedList(page) : page));
  const byIdReads: string[] = [];
  let taken = 0;
  const found = await collectWaited<Item>(keys, { take: async () => void taken++ }, lists, async (id) => {
    byIdReads.push(id);
    return undefined;
  });
  return { found, byIdReads, taken };
}

test("a part of 200 waiting services spread over every page: the list is read on, not 50 reads by id", async () => {
  const services = ids("svc", 200);
  // 59 of them, from the newest to the oldest (a round that started before the others asked again).
  const keys = services.filter((_, i) => i % 4 === 0 || i > 190).slice(0, 59);
  const recent = { pages: 0 };
  const terminating = { pages: 0 };
  const { found, byIdReads, taken } = await collect(keys, [list(services, recent), list([], terminating)]);
  expect([...found.keys()].sort()).toEqual([...keys].sort());
  expect(byIdReads).toEqual([]);
  expect(recent.pages).toBe(4);
  expect(terminating.pages).toBe(0);
  expect(taken).toBe(4);
});

test("keys the first list does not hold: its planned pages find none, the next list has them", async () => {
  const recent = { pages: 0 };
  const terminating = { pages: 0 };
  const old = ids("old", 5);
  const { found, byIdReads } = await collect(old, [list(ids("svc", 500), recent), list(old, terminating)]);
  expect(found.size).toBe(5);
  expect(byIdReads).toEqual([]);
  expect(recent.pages).toBe(2); // the pages 5 keys fill, plus one; none found, so no more
  expect(terminating.pages).toBe(1);
});

test("one key no list holds (deleted): read by id after the planned pages, never a page more", async () => {
  const reads = { pages: 0 };
  const services = ids("svc", 500);
  const { found, byIdReads } = await collect(["svc0", "svc60", "svc120", "gone"], [list(services, reads)]);
  expect([...found.keys()].sort()).toEqual(["svc0", "svc120", "svc60"]);
  expect(byIdReads).toEqual(["gone"]);
  // 2 planned, a 3rd because the 2nd found a key and 2 were missing; the 3rd finds svc120, 1 missing: stop.
  expect(reads.pages).toBe(3);
});

test("the list ends: no page after the last, the rest by id", async () => {
  const reads = { pages: 0 };
  const { found, byIdReads } = await collect(["svc1", "x", "y"], [list(ids("svc", 30), reads)]);
  expect(found.size).toBe(1);
  expect(byIdReads).toEqual(["x", "y"]);
  expect(reads.pages).toBe(1);
});

test("a round asking for the oldest quarter of 200 reads as deep as the last round found its keys", async () => {
  const services = ids("svc", 200);
  const reads = { pages: 0 };
  const recent = watchedList(list(services, reads));
  await collect(services, [recent]); // every waiter asked: 4 pages, the keys found down to the 4th
  expect(recent.neededPages).toBe(4);
  reads.pages = 0;
  const oldest = services.slice(150); // only these were back when the next round started
  const { found, byIdReads } = await collect(oldest, [recent]);
  expect(found.size).toBe(50);
  expect(byIdReads).toEqual([]);
  expect(reads.pages).toBe(4);
  // Once nothing waits that deep, the depth comes down a page a round.
  await collect(["svc0"], [recent]);
  expect(recent.neededPages).toBe(3);
});
