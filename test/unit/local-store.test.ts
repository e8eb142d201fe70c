import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FileStore } from "../../local/store";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "local-store-"));

test("writes survive a reopen; deletes too", () => {
  const dir = tmp();
  const store = new FileStore(dir);
  store.put("things", "a", { n: 1 });
  store.put("things", "b", { n: 2 });
  store.delete("things", "a");
  store.close();
  const reopened = new FileStore(dir);
  expect(reopened.get("things", "a")).toBeUndefined();
  expect(reopened.list("things")).toEqual([{ n: 2 }]);
  reopened.close();
});

test("values are copies: mutating a read value changes nothing stored", () => {
  const store = new FileStore(tmp());
  store.put("things", "a", { n: 1 });
  const read = store.get<{ n: number }>("things", "a")!;
  read.n = 99;
  expect(store.get("things", "a")).toEqual({ n: 1 });
  store.close();
});

test("a torn final journal line (an unacknowledged write) is ignored", () => {
  const dir = tmp();
  const store = new FileStore(dir);
  store.put("things", "a", { n: 1 });
  store.close();
  fs.appendFileSync(path.join(dir, "journal.jsonl"), '{"op":"put","c":"things","id":"b","v":{"n"');
  const reopened = new FileStore(dir);
  expect(reopened.list("things")).toEqual([{ n: 1 }]);
  reopened.close();
});

test("compaction folds the journal into the snapshot without losing anything", () => {
  const dir = tmp();
  const store = new FileStore(dir);
  for (let i = 0; i < 1200; i++) store.put("things", `k${i % 7}`, { i });
  store.close();
  expect(fs.existsSync(path.join(dir, "state.json"))).toBe(true);
  expect(fs.readFileSync(path.join(dir, "journal.jsonl"), "utf8").split("\n").length).toBeLessThan(500);
  const reopened = new FileStore(dir);
  expect(reopened.get("things", "k3")).toEqual({ i: 1193 });
  expect(reopened.list("things")).toHaveLength(7);
  reopened.close();
});

test("a closed store refuses writes", () => {
  const store = new FileStore(tmp());
  store.close();
  expect(() => store.put("things", "a", {})).toThrow(/closed/);
});

test("group commit: durable() resolves once every write before it is fsync'd; every write is in the file at once", async () => {
  const dir = tmp();
  const store = new FileStore(dir);
  await store.durable(); // nothing written: at once
  for (let i = 0; i < 50; i++) store.put("things", `k${i}`, { i });
  const first = store.durable();
  store.put("things", "late", { late: true }); // after the first fsync started: the next one covers it
  const second = store.durable();
  // Every write is in the journal file before put returns (a kill -9 loses none of them).
  expect(fs.readFileSync(path.join(dir, "journal.jsonl"), "utf8").trim().split("\n")).toHaveLength(51);
  const order: string[] = [];
  await Promise.all([first.then(() => order.push("first")), second.then(() => order.push("second"))]);
  expect(order).toEqual(["first", "second"]);
  store.close();
  const reopened = new FileStore(dir);
  expect(reopened.list("things")).toHaveLength(51);
  reopened.close();
});

test("list with a filter copies only what it keeps", () => {
  const store = new FileStore(tmp());
  for (let i = 0; i < 10; i++) store.put("runs", `r${i}`, { job: i % 2 === 0 ? "a" : "b", i });
  expect(store.list<{ job: string; i: number }>("runs", (r) => r.job === "a").map((r) => r.i)).toEqual([0, 2, 4, 6, 8]);
  store.close();
});
