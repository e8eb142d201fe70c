import { chunkRanges, pageOfChunks, sealNewChunks } from "../../local/jobs/log-chunks";
import { signChunkPath, verifyChunkSignature } from "../../local/jobs/presign";

test("a running run's tail is sealed only up to its last complete line", () => {
  expect(sealNewChunks(0, Buffer.from("a\nb\npartial"), false)).toEqual([4]);
  expect(sealNewChunks(4, Buffer.from("partial"), false)).toEqual([]);
  expect(sealNewChunks(4, Buffer.from("partial\n"), false)).toEqual([12]);
});

test("a finished run's tail is sealed whole", () => {
  expect(sealNewChunks(4, Buffer.from("no newline"), true)).toEqual([14]);
  expect(sealNewChunks(4, Buffer.alloc(0), true)).toEqual([]);
});

test("long output is cut into bounded chunks at line ends", () => {
  const ends = sealNewChunks(0, Buffer.from("aaaa\nbbbb\ncccc\n"), false, 8);
  expect(ends).toEqual([5, 10, 15]);
  expect(chunkRanges(ends)).toEqual([
    { start: 0, end: 5 },
    { start: 5, end: 10 },
    { start: 10, end: 15 },
  ]);
  // A single line longer than a chunk is cut at the chunk size.
  expect(sealNewChunks(0, Buffer.from("x".repeat(20)), false, 8)).toEqual([8, 16]);
});

test("pages carry a token only when they hold chunks, so both SDK download loops terminate", () => {
  expect(pageOfChunks(3, null, 1000)).toEqual({ from: 0, to: 3, next: "3" });
  expect(pageOfChunks(3, "3", 1000)).toEqual({ from: 3, to: 3, next: null });
  expect(pageOfChunks(5, "3", 1000)).toEqual({ from: 3, to: 5, next: "5" });
  expect(pageOfChunks(5, null, 2)).toEqual({ from: 0, to: 2, next: "2" });
});

test("chunk URL signatures bind the path and expiry", () => {
  const sig = signChunkPath("secret", "/_local/job_logs/r/0-10", 2000);
  expect(verifyChunkSignature("secret", "/_local/job_logs/r/0-10", "2000", sig, 1000)).toBe(true);
  expect(verifyChunkSignature("secret", "/_local/job_logs/r/0-11", "2000", sig, 1000)).toBe(false);
  expect(verifyChunkSignature("other", "/_local/job_logs/r/0-10", "2000", sig, 1000)).toBe(false);
  expect(verifyChunkSignature("secret", "/_local/job_logs/r/0-10", "2000", sig, 3000)).toBe(false);
  expect(verifyChunkSignature("secret", "/_local/job_logs/r/0-10", null, sig, 1000)).toBe(false);
});
