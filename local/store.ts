import * as fs from "node:fs";
import * as path from "node:path";
import type { Store } from "./types";

// Durability model: an fsync'd append-only journal of full-value puts and deletes, replayed over the
// last snapshot on start. Replaying a whole value is idempotent, so a crash between writing a new
// snapshot and truncating the journal loses nothing. A torn final line can only come from a write that
// was never acknowledged (we fsync before returning), so it is dropped on load.

const SNAPSHOT_FILE = "state.json";
const JOURNAL_FILE = "journal.jsonl";
const COMPACT_AFTER_ENTRIES = 500;

type Collections = Map<string, Map<string, unknown>>;

type JournalEntry = { op: "put"; c: string; id: string; v: unknown } | { op: "del"; c: string; id: string };

export class FileStore implements Store {
  private readonly collections: Collections = new Map();
  private journalFd: number | undefined;
  private journalEntries = 0;

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

  list<T>(collection: string): T[] {
    const items = this.collections.get(collection);
    return items ? [...items.values()].map((v) => structuredClone(v) as T) : [];
  }

  put<T>(collection: string, id: string, value: T): void {
    const copy = JSON.parse(JSON.stringify(value)) as unknown;
    this.append({ op: "put", c: collection, id, v: copy });
    this.collectionFor(collection).set(id, copy);
  }

  delete(collection: string, id: string): void {
    if (!this.collections.get(collection)?.has(id)) return;
    this.append({ op: "del", c: collection, id });
    this.collections.get(collection)?.delete(id);
  }

  close(): void {
    if (this.journalFd !== undefined) {
      fs.closeSync(this.journalFd);
      this.journalFd = undefined;
    }
  }

  private append(entry: JournalEntry): void {
    if (this.journalFd === undefined) throw new Error("store is closed");
    fs.writeSync(this.journalFd, JSON.stringify(entry) + "\n");
    fs.fsyncSync(this.journalFd);
    this.journalEntries += 1;
    if (this.journalEntries >= COMPACT_AFTER_ENTRIES) this.compact(entry);
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
