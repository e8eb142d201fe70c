import { api, type TestPlane } from "../helpers/local-plane";
import type { PreviewResult } from "../helpers/pulumi";
import { yamlLanguageHostAvailable, type YamlProgram } from "../helpers/native-plugin";

// Shared by the native-plugin e2e files: a Service YAML program, the plan lines of a preview, the
// plane's request log, and the check that the YAML language host is there.

export const V1 = "anyscale/ray:2.48.0-py311";
export const V2 = "anyscale/ray:2.49.0-py311";
export const ENV = { ANYSCALE_POLL_INTERVAL_MS: "50" };
// Versions take a second to start, so every wait polls a few times and reports progress.
export const TIMINGS = { startupMs: 1200, rolloutStepMs: 150 };

export interface ServiceDecl {
  name: string;
  image?: string;
  canary?: number;
  tags?: Record<string, string>;
  strategy?: "inPlace";
  route?: string;
}

export function serviceProgram(service: ServiceDecl): YamlProgram {
  const rollout = { ...(service.canary !== undefined ? { canaryPercent: service.canary } : {}), ...(service.strategy ? { strategy: service.strategy } : {}) };
  return {
    resources: {
      api: {
        type: "anyscale:Service",
        properties: {
          name: service.name,
          applications: [{ name: "default", import_path: "main:app", route_prefix: service.route ?? "/" }],
          imageUri: service.image ?? V1,
          ...(service.tags ? { tags: service.tags } : {}),
          ...(Object.keys(rollout).length > 0 ? { rollout } : {}),
        },
      },
    },
    outputs: { serviceId: "${api.serviceId}", state: "${api.state}", queryAuthToken: "${api.queryAuthToken}", primaryVersion: "${api.primaryVersion}", canaryVersion: "${api.canaryVersion}" },
  };
}

export function infoLines(preview: PreviewResult): string[] {
  return preview.diagnostics.filter((d) => d.severity === "info").map((d) => d.message.trim());
}

export async function nonAdminRequests(plane: TestPlane): Promise<{ method: string; path: string }[]> {
  const log = (await api(plane).get("/_local/requests")).body as { method: string; path: string }[];
  return log.filter((r) => !r.path.startsWith("/_local"));
}

/** After a destroy the platform has the service terminating or terminated. */
export async function expectServiceDown(plane: TestPlane, serviceId: string): Promise<void> {
  const live = (await api(plane).get(`/api/v2/services-v2/${serviceId}`)).body.result;
  expect(["TERMINATING", "TERMINATED"]).toContain(live.current_state);
}

/** Fails the file early and clearly when the YAML language host is missing. */
export function requireYamlLanguageHost(): void {
  beforeAll(async () => {
    if (!(await yamlLanguageHostAvailable())) throw new Error("pulumi-language-yaml is not next to pulumi: run scripts/setup-pulumi.sh (it builds the YAML language host)");
  });
}
