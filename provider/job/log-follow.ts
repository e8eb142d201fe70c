// The SDK's `job.wait(follow=True)`, as a Job waits: the newest line of the run's log rides along
// with each observation, so the wait's progress line (the native plugin's status for the resource)
// shows what the job prints. A read costs two requests (chunk list, last chunk), so reads are spaced
// several observation rounds apart; a read that fails is skipped, since following is a view and
// never a reason to fail the wait. `logLines: 0` (no log reads) turns following off.
// Every follower of the process shares one allowance of reads (FOLLOW_READS_PER_SECOND): 200 running
// jobs would otherwise read 80 requests/s beside the shared poller's bounded 10; a follower finding
// none keeps its line and tries at its next observation.
import { TokenBucket } from "../core/request-budget";
import { logTailForOutput } from "./log-tail";

/** A status line, not a log viewer: longer lines are cut. */
export const FOLLOWED_LINE_MAX_CHARS = 160;
const DEFAULT_FOLLOW_INTERVAL_MS = 5_000;
/** Observation rounds between two reads when tests or benches set the round (ANYSCALE_POLL_INTERVAL_MS). */
const ROUNDS_PER_READ = 5;
/** Log reads of every follower of the process together (2 requests each): 10 jobs still read every 5 s. */
export const FOLLOW_READS_PER_SECOND = 2;
const processFollowReads = new TokenBucket(FOLLOW_READS_PER_SECOND, 10);

export function followIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
  const roundMs = Number(env.ANYSCALE_POLL_INTERVAL_MS);
  return Number.isFinite(roundMs) && roundMs > 0 ? roundMs * ROUNDS_PER_READ : DEFAULT_FOLLOW_INTERVAL_MS;
}

export interface LogFollowerOptions {
  /** The newest lines of a run's log (the client's tail read). */
  readTail(runId: string): Promise<string[]>;
  /** Values masked in every line shown (the API token, secret env values). */
  secrets: ReadonlyArray<string | undefined>;
  intervalMs?: number;
  now?: () => number;
  /** The allowance shared with the process's other followers (tests pass their own). */
  reads?: { tryTake(): boolean };
}

export class LogFollower {
  private runId: string | undefined;
  private lastReadAt = Number.NEGATIVE_INFINITY;
  private newest: string | undefined;

  constructor(private readonly options: LogFollowerOptions) {}

  /** The newest non-empty line of the run's log, read again when the spacing allows. */
  async newestLine(runId: string | null | undefined): Promise<string | undefined> {
    if (!runId) return this.newest;
    if (runId !== this.runId) {
      // A retry starts a new run: its log, not the old one's, is what the job prints now.
      this.runId = runId;
      this.newest = undefined;
      this.lastReadAt = Number.NEGATIVE_INFINITY;
    }
    const now = (this.options.now ?? Date.now)();
    if (now - this.lastReadAt < (this.options.intervalMs ?? followIntervalMs())) return this.newest;
    if (!(this.options.reads ?? processFollowReads).tryTake()) return this.newest;
    this.lastReadAt = now;
    try {
      const line = (await this.options.readTail(runId)).filter((text) => text.trim() !== "").at(-1);
      if (line !== undefined) this.newest = shown(line, this.options.secrets);
    } catch {
      // Skipped: the next spaced read tries again, and the wait goes on either way.
    }
    return this.newest;
  }
}

function shown(line: string, secrets: ReadonlyArray<string | undefined>): string {
  // Masked before cutting, so a secret cut in half is still masked.
  const masked = logTailForOutput([line.trim()], secrets);
  return masked.length > FOLLOWED_LINE_MAX_CHARS ? `${masked.slice(0, FOLLOWED_LINE_MAX_CHARS - 1)}…` : masked;
}
