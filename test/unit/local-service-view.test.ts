import { applyToService, createService } from "../../local/services/lifecycle";
import type { LifecycleContext } from "../../local/services/record-ops";
import { advance } from "../../local/services/transitions";
import { serviceView } from "../../local/services/view";

// The SDK's generated models raise on a missing or null REQUIRED field; these lists are theirs
// (DecoratedProductionServiceV2APIModel / DecoratedListServiceAPIModel / ...VersionAPIModel, anyscale 0.26.112).
const REQUIRED_SERVICE = ["id", "name", "project_id", "cloud_id", "creator_id", "created_at", "hostname", "current_state", "goal_state", "auto_rollout_enabled", "versions", "primary_version", "service_observability_urls", "base_url", "creator", "is_multi_version", "type"];
const REQUIRED_VERSION = ["id", "created_at", "weight", "version", "ray_serve_config", "build_id", "compute_config_id", "production_job_ids", "current_state"];
const REQUIRED_MINI_USER = ["id", "name", "username", "email"];

let n = 0;
const ctx = (now: number): LifecycleContext => ({
  now,
  timings: { startupMs: 10, rolloutStepMs: 5 },
  newId: (p) => `${p}_${++n}`,
  newVersionName: () => `v${n}`,
  newAuthToken: () => "tok",
});
const viewCtx = { baseUrl: "http://127.0.0.1:1", creator: { id: "usr_1", name: "U", username: "u", email: "u@x" } };
const request = { name: "svc", build_id: "bld", compute_config_id: "cpt", ray_serve_config: { applications: [{ import_path: "a:b" }] } };

function expectRequired(obj: Record<string, unknown>, fields: string[], where: string): void {
  for (const f of fields) {
    if (obj[f] === undefined || obj[f] === null) throw new Error(`${where}.${f} is missing or null`);
  }
}

test("every REQUIRED field is present and non-null while starting, rolling out and running", () => {
  const created = createService(request, { projectId: "prj", cloudId: "cld", creatorId: "usr_1", hostname: "h" }, null, ctx(0)).service;
  const running = advance(created, ctx(100)).service;
  const rolling = applyToService(running, { ...request, canary_percent: 20 }, null, ctx(200)).service;
  const held = advance(rolling, ctx(10_000)).service;
  for (const [label, service] of [["starting", created], ["running", running], ["rolling", rolling], ["held", held]] as const) {
    const view = serviceView(service, viewCtx);
    expectRequired(view, REQUIRED_SERVICE, label);
    expectRequired(view.creator as Record<string, unknown>, REQUIRED_MINI_USER, `${label}.creator`);
    for (const v of [view.primary_version, ...(view.versions as unknown[]), ...(view.canary_version ? [view.canary_version] : [])]) {
      expectRequired(v as Record<string, unknown>, REQUIRED_VERSION, `${label}.version`);
    }
  }
  expect(serviceView(held, viewCtx).canary_version).toMatchObject({ weight: 20, target_weight: 20 });
});
