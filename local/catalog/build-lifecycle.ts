// Pure rules of an image build from a containerfile: its status at a moment, its log, its Ray
// version. A build is stored once with the times its phases end; the status is read off the clock,
// so a restarted plane continues a build where it was instead of losing it.

export type BuildStatus = "pending" | "in_progress" | "succeeded" | "failed" | "pending_cancellation" | "canceled";

export interface BuildTimes {
  /** Epoch ms when the build leaves `pending` (a builder picked it up). */
  startsAt: number;
  /** Epoch ms when it reaches its final status. */
  endsAt: number;
  /** Set when the build is to fail: the reason it fails with. */
  failReason?: string | null;
}

export function buildTimes(now: number, buildMs: number, failReason?: string | null): BuildTimes {
  return { startsAt: now + Math.floor(buildMs / 4), endsAt: now + buildMs, failReason: failReason ?? null };
}

export function buildStatusAt(times: BuildTimes, now: number): BuildStatus {
  if (now < times.startsAt) return "pending";
  if (now < times.endsAt) return "in_progress";
  return times.failReason ? "failed" : "succeeded";
}

export function isTerminal(status: string): boolean {
  return status === "succeeded" || status === "failed" || status === "canceled";
}

/** What the platform rejects with 400 before building: a containerfile needs a FROM instruction first. */
export function containerfileProblem(containerfile: string): string | undefined {
  const instructions = instructionsOf(containerfile);
  if (instructions.length === 0) return "the containerfile is empty";
  const first = instructions.find((line) => !/^ARG\s/i.test(line));
  if (!first || !/^FROM\s+\S+/i.test(first)) return `the first instruction must be FROM, got '${(first ?? instructions[0]).slice(0, 80)}'`;
  return undefined;
}

/** The Ray version of an `anyscale/ray:X.Y.Z…` base image, as the platform derives it when none is given. */
export function rayVersionOfContainerfile(containerfile: string): string | null {
  const from = instructionsOf(containerfile).find((line) => /^FROM\s/i.test(line));
  const match = from ? /anyscale\/ray(?:-ml|-llm)?:(\d+\.\d+\.\d+)/.exec(from) : null;
  return match ? match[1] : null;
}

/** The builder's output so far: one line per step done, then the outcome. */
export function buildLogAt(containerfile: string, status: BuildStatus, failReason?: string | null): string {
  const steps = instructionsOf(containerfile);
  const lines: string[] = [];
  if (status === "pending") return "Waiting for a builder...\n";
  const shown = status === "in_progress" ? Math.max(1, Math.ceil(steps.length / 2)) : steps.length;
  steps.slice(0, shown).forEach((step, index) => lines.push(`Step ${index + 1}/${steps.length} : ${step}`));
  if (status === "failed") lines.push(`ERROR: ${failReason ?? "the build failed"}`, "Build failed.");
  if (status === "succeeded") lines.push("Successfully built the image.", "Pushed the image to the registry.");
  return lines.join("\n") + "\n";
}

function instructionsOf(containerfile: string): string[] {
  return containerfile
    .replace(/\\\r?\n/g, " ")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}
