import { PulumiProject } from "../../test/helpers/pulumi";
import { api, startTestPlane, type TestPlane } from "../../test/helpers/local-plane";
import type { ProgramFiles } from "./programs";

// A local control plane with the timings the real platform has in spirit (a version takes 1.5 s to
// start, canary steps every 0.7 s), and Pulumi projects wired to it through the real CLI harness.

export const REALISTIC_TIMINGS = { startupMs: 1500, rolloutStepMs: 700, jobStartupMs: 500 } as const;
export const FAST_TIMINGS = { startupMs: 50, rolloutStepMs: 30, jobStartupMs: 20 } as const;

export interface LoggedRequest {
  ts: string;
  method: string;
  path: string;
  query?: string;
  body?: any;
  status: number;
}

export async function startBenchPlane(timings: { startupMs: number; rolloutStepMs: number; jobStartupMs: number } = REALISTIC_TIMINGS): Promise<TestPlane> {
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
