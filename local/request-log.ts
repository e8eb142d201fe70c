import * as fs from "node:fs";
import * as path from "node:path";
import { isSecretKey, redactValue, REDACTED } from "./redact";

export interface RequestLogEntry {
  ts: string;
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  body: unknown;
  status: number;
  client: string | null;
  traceId: string;
}

/** requests.jsonl in the data dir: one redacted line per API request (admin calls are not logged). */
export class RequestLog {
  private readonly file: string;

  constructor(
    dataDir: string,
    private readonly secrets: () => readonly string[],
  ) {
    this.file = path.join(dataDir, "requests.jsonl");
  }

  append(entry: Omit<RequestLogEntry, "body" | "query"> & { body: unknown; query: URLSearchParams }): void {
    const secrets = this.secrets();
    const line: RequestLogEntry = {
      ...entry,
      query: redactQuery(entry.query),
      body: redactValue(entry.body, secrets),
    };
    fs.appendFileSync(this.file, JSON.stringify(line) + "\n");
  }

  read(): RequestLogEntry[] {
    if (!fs.existsSync(this.file)) return [];
    const entries: RequestLogEntry[] = [];
    for (const line of fs.readFileSync(this.file, "utf8").split("\n")) {
      if (!line.trim()) continue;
      try {
        entries.push(JSON.parse(line) as RequestLogEntry);
      } catch {
        // a torn final line after a crash
      }
    }
    return entries;
  }

  clear(): void {
    fs.writeFileSync(this.file, "");
  }
}

function redactQuery(query: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(query.keys())) {
    const values = query.getAll(key).map((v) => (isSecretKey(key) ? REDACTED : v));
    out[key] = values.length === 1 ? values[0] : values;
  }
  return out;
}
