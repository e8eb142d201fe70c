// Reading a run's log the way `anyscale job logs` does, apart from I/O: chunks are read from the
// head or the tail until `maxLines` lines are collected, and structured (JSON) lines are shown as
// their message. Chunks are fetched lazily, so a short TAIL of a long log reads only the last chunks.
import type { JobLogMode } from "./job-arguments";

/** A JSON log line (Ray's structured logging) becomes "asctime message", or its message. */
export function displayLogLine(line: string): string {
  if (!line.trimStart().startsWith("{")) return line;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return line;
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return line;
  const record = parsed as Record<string, unknown>;
  if (!("message" in record)) return line;
  const message = String(record.message);
  return "asctime" in record ? `${String(record.asctime)} ${message}` : message;
}

function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** The selected lines, newline-terminated (empty string for no lines), as the SDK returns them. */
export async function readLogLines(
  chunkCount: number,
  fetchChunk: (index: number) => Promise<string>,
  options: { mode: JobLogMode; maxLines?: number },
): Promise<string> {
  const head = options.mode === "HEAD";
  const wanted = options.maxLines ?? Number.POSITIVE_INFINITY;
  let selected: string[] = [];
  for (let step = 0; step < chunkCount && selected.length < wanted; step++) {
    const index = head ? step : chunkCount - 1 - step;
    const lines = splitLines(await fetchChunk(index));
    const room = wanted - selected.length;
    if (head) selected = selected.concat(lines.slice(0, room));
    else selected = lines.slice(Math.max(0, lines.length - room)).concat(selected);
  }
  return selected.length === 0 ? "" : `${selected.map(displayLogLine).join("\n")}\n`;
}
