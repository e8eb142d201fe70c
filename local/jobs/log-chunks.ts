// Splits a run's growing log file into stable chunks, as the platform serves logs: once a chunk has
// been handed out its bytes never change, so a client following with next_page_token never sees a line
// twice. A running run's tail is sealed into a new chunk only up to its last complete line.

/** Largest chunk served; longer spans are cut (at a line end when there is one). */
export const MAX_CHUNK_BYTES = 1024 * 1024;

/**
 * New chunk end offsets given the already sealed ends, the current file content beyond the last seal,
 * and whether the run has finished (then the tail is sealed even without a trailing newline).
 */
export function sealNewChunks(sealedEnd: number, tail: Buffer, finished: boolean, maxChunkBytes = MAX_CHUNK_BYTES): number[] {
  const ends: number[] = [];
  let start = 0;
  while (start < tail.length) {
    const limit = Math.min(tail.length, start + maxChunkBytes);
    const window = tail.subarray(start, limit);
    let cut: number;
    const lastNewline = window.lastIndexOf(0x0a);
    if (limit === tail.length && finished) cut = limit;
    else if (lastNewline >= 0) cut = start + lastNewline + 1;
    else if (limit - start === maxChunkBytes) cut = limit; // a single line longer than a chunk
    else break; // an incomplete last line of a running run waits for its newline
    ends.push(sealedEnd + cut);
    start = cut;
  }
  return ends;
}

/** Byte ranges [start, end) of each chunk from the list of sealed ends. */
export function chunkRanges(ends: readonly number[]): Array<{ start: number; end: number }> {
  return ends.map((end, i) => ({ start: i === 0 ? 0 : ends[i - 1], end }));
}

/**
 * One page of chunks. The token is the index of the next chunk; it is returned only with a non-empty
 * page, and an empty page carries none: the SDK's full download loops until the token is null, while
 * its follow mode keeps the previous token whenever a page comes back empty.
 */
export function pageOfChunks(total: number, pageToken: string | null, pageSize: number): { from: number; to: number; next: string | null } {
  const from = pageToken ? Number.parseInt(pageToken, 10) : 0;
  const safeFrom = Number.isFinite(from) && from >= 0 ? Math.min(from, total) : 0;
  const to = Math.min(total, safeFrom + Math.max(1, pageSize));
  return { from: safeFrom, to, next: to > safeFrom ? String(to) : null };
}
