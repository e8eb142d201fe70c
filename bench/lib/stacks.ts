import { PulumiProject } from "../../test/helpers/pulumi";
import { api, startTestPlane, type TestPlane } from "../../test/helpers/local-plane";
import type { ProgramFiles } from "./programs";

// A local control plane for benchmarks whose figures do not depend on platform timings (state size,
// no-op preview), and Pulumi projects wired to it through the real CLI harness. Waiting is measured at
// the platform's timings in waits.bench.ts.

export const FAST_TIMINGS = { startupMs: 50, rolloutStepMs: 30, jobStartupMs: 20 } as const;

export interface LoggedRequest {
  ts: string;
  method: string;
  path: string;
  query?: string;
  body?: any;
  status: number;
}

export async function startBenchPlane(timings: { startupMs: number; rolloutStepMs: number; jobStartupMs: number } = FAST_TIMINGS): Promise<TestPlane> {
  return startTestPlane({ ...timings });
}

export async function requestLog(plane: TestPlane): Promise<LoggedRequest[]> {
  return (await api(plane).get("/_local/requests")).body as LoggedRequest[];
}

export async function clearRequestLog(plane: TestPlane): Promise<void> {
  await api(plane).del("/_local/requests");
}

export async function benchProject(name: string, files: ProgramFiles, plane: TestPlane, env: Record<string, string> = {}): Promise<PulumiProject> {
  return PulumiProject.fromFiles(name, files, {
    config: { "anyscale:host": plane.url },
    secrets: { "anyscale:token": plane.token },
    env,
  });
}
