import * as fs from "node:fs";
import * as path from "node:path";
import type { Store } from "./types";

// Durability model: an append-only journal of full-value puts and deletes, replayed over the last
// snapshot on start. Replaying a whole value is idempotent, so a crash between writing a new snapshot
// and truncating the journal loses nothing.
// Every put/delete reaches the file (write(2)) before it returns, so a kill -9 of the process loses
// nothing, whatever happens next. The fsync (what an OS crash needs) is group-committed: `durable()`
// resolves once everything written so far is fsync'd, one fsync for all the writes since the last,
// run off the event loop. The server awaits it before every response, so nothing a client saw is
// lost to an OS crash either. (An fsync per write, on the event loop, was most of the plane's time
// with hundreds of objects changing at once: docs/performance-scale.md.) A torn final line can only
// come from a write that was never acknowledged, so it is dropped on load.

const SNAPSHOT_FILE = "state.json";
const JOURNAL_FILE = "journal.jsonl";
/** Journal entries before a compaction, at least; more as the state grows, so compacting stays O(1) a write. */
const COMPACT_AFTER_ENTRIES = 500;

type Collections = Map<string, Map<string, unknown>>;

type JournalEntry = { op: "put"; c: string; id: string; v: unknown } | { op: "del"; c: string; id: string };

export class FileStore implements Store {
  private readonly collections: Collections = new Map();
  private journalFd: number | undefined;
  private journalEntries = 0;
  private itemCount = 0;
  /** Writes appended so far, and how many of them an fsync has covered. */
  private written = 0;
  private synced = 0;
  private syncing = false;
  private readonly syncWaiters: Array<{ upTo: number; resolve(): void; reject(error: unknown): void }> = [];

  constructor(private readonly dataDir: string) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.load();
    this.journalFd = fs.openSync(this.journalPath(), "a");
  }

  get<T>(collection: string, id: string): T | undefined {
    const value = this.collections.get(collection)?.get(id);
    // Callers get a copy so an in-memory mutation can never bypass persistence.
    return value === undefined ? undefined : (structuredClone(value) as T);
  }

  /** Copies of the values, only of those `where` keeps when given (it sees the stored value: read it, never change it). */
  list<T>(collection: string, where?: (value: T) => boolean): T[] {
    const items = this.collections.get(collection);
    if (!items) return [];
    const kept = where ? [...items.values()].filter((v) => where(v as T)) : [...items.values()];
    return kept.map((v) => structuredClone(v) as T);
  }

  put<T>(collection: string, id: string, value: T): void {
    const copy = JSON.parse(JSON.stringify(value)) as unknown;
    this.append({ op: "put", c: collection, id, v: copy });
    const items = this.collectionFor(collection);
    if (!items.has(id)) this.itemCount += 1;
    items.set(id, copy);
  }

  delete(collection: string, id: string): void {
    if (!this.collections.get(collection)?.has(id)) return;
    this.append({ op: "del", c: collection, id });
    this.collections.get(collection)?.delete(id);
    this.itemCount -= 1;
  }

  /** Resolves once every write made before this call is fsync'd (at once when nothing waits for one). */
  durable(): Promise<void> {
    if (this.synced >= this.written) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.syncWaiters.push({ upTo: this.written, resolve, reject });
      this.syncSoon();
    });
  }

  close(): void {
    if (this.journalFd !== undefined) {
      fs.fsyncSync(this.journalFd);
      this.markSynced(this.written);
      fs.closeSync(this.journalFd);
      this.journalFd = undefined;
    }
  }

  private append(entry: JournalEntry): void {
    if (this.journalFd === undefined) throw new Error("store is closed");
    fs.writeSync(this.journalFd, JSON.stringify(entry) + "\n");
    this.written += 1;
    this.journalEntries += 1;
    if (this.journalEntries >= Math.max(COMPACT_AFTER_ENTRIES, this.itemCount)) this.compact(entry);
  }

  /** One fsync at a time, covering every write made before it started; waiters beyond it get the next. */
  private syncSoon(): void {
    if (this.syncing || this.journalFd === undefined) return;
    this.syncing = true;
    const upTo = this.written;
    fs.fsync(this.journalFd, (error) => {
      this.syncing = false;
      if (error && this.journalFd !== undefined) {
        for (const waiter of this.syncWaiters.splice(0)) waiter.reject(error);
        return;
      }
      this.markSynced(upTo);
      if (this.syncWaiters.length > 0) this.syncSoon();
    });
  }

  private markSynced(upTo: number): void {
    this.synced = Math.max(this.synced, upTo);
    const waiting = this.syncWaiters.splice(0);
    for (const waiter of waiting) {
      if (waiter.upTo <= this.synced) waiter.resolve();
      else this.syncWaiters.push(waiter);
    }
  }

  /** Writes a snapshot that already includes `pending` (not yet applied in memory), then empties the journal. */
  private compact(pending: JournalEntry): void {
    const snapshot: Record<string, Record<string, unknown>> = {};
    for (const [name, items] of this.collections) snapshot[name] = Object.fromEntries(items);
    applyEntry(snapshot, pending);
    writeFileAtomic(path.join(this.dataDir, SNAPSHOT_FILE), JSON.stringify(snapshot));
    fs.ftruncateSync(this.journalFd!, 0);
    fs.fsyncSync(this.journalFd!);
    this.journalEntries = 0;
    // The snapshot (fsync'd) holds every write so far, the one in hand included.
    this.markSynced(this.written);
  }

  private load(): void {
    const snapshotPath = path.join(this.dataDir, SNAPSHOT_FILE);
    const snapshot: Record<string, Record<string, unknown>> = fs.existsSync(snapshotPath)
      ? (JSON.parse(fs.readFileSync(snapshotPath, "utf8")) as Record<string, Record<string, unknown>>)
      : {};
    if (fs.existsSync(this.journalPath())) {
      const lines = fs.readFileSync(this.journalPath(), "utf8").split("\n");
      for (const line of lines) {
        if (!line.trim()) continue;
        let entry: JournalEntry;
        try {
          entry = JSON.parse(line) as JournalEntry;
        } catch {
          continue; // torn tail of an unacknowledged write
        }
        applyEntry(snapshot, entry);
        this.journalEntries += 1;
      }
    }
    for (const [name, items] of Object.entries(snapshot)) {
      this.collections.set(name, new Map(Object.entries(items)));
      this.itemCount += Object.keys(items).length;
    }
  }

  private collectionFor(name: string): Map<string, unknown> {
    let items = this.collections.get(name);
    if (!items) {
      items = new Map();
      this.collections.set(name, items);
    }
    return items;
  }

  private journalPath(): string {
    return path.join(this.dataDir, JOURNAL_FILE);
  }
}

function applyEntry(snapshot: Record<string, Record<string, unknown>>, entry: JournalEntry): void {
  const items = (snapshot[entry.c] ??= {});
  if (entry.op === "put") items[entry.id] = entry.v;
  else delete items[entry.id];
}

/** temp file + fsync + rename + directory fsync: the file is either the old or the new content. */
export function writeFileAtomic(filePath: string, data: string | Buffer): void {
  const tmp = `${filePath}.${process.pid}.${Date.now()}.tmp`;
  const fd = fs.openSync(tmp, "w");
  try {
    fs.writeSync(fd, typeof data === "string" ? Buffer.from(data) : data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, filePath);
  fsyncDirectory(path.dirname(filePath));
}

function fsyncDirectory(dir: string): void {
  try {
    const fd = fs.openSync(dir, "r");
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Some filesystems refuse fsync on directories; the rename itself is still atomic.
  }
}
