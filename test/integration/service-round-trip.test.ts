// Every input the Service's declaration lists, against the real local plane: changed alone on a running
// service it reaches the plane's live object where the declaration says it lands (or check refuses it
// naming the field, or the declaration says it never leaves the provider), and changed on the platform
// a refresh reports it. The list comes from the declaration: a field added there without a sample here,
// a wire path or a read-back fails this test.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { canonicalJson } from "../../provider/core/dynamic-support";
import { valueAt, type DeclaredField } from "../../provider/core/declaration";
import * as provider from "../../provider/service/dynamic";
import type { LiveService } from "../../provider/service/live-view";
import { SERVICE_FIELDS, isVersionField, refusedInPlace } from "../../provider/service/schema";
import { checked as checkedBy, configureFor } from "../helpers/provider-driver";
import { api, waitUntil, withLocalPlane } from "../helpers/local-plane";

jest.setTimeout(600_000);
const plane = withLocalPlane();
type Props = Record<string, any>;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "svc-round-trip-"));
const file = (name: string, text: string) => (fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true }), fs.writeFileSync(path.join(dir, name), text), path.join(dir, name));
const workingDir = path.dirname(file("app/main.py", "app = 1\n"));
const moduleDir = path.dirname(file("lib/helpers/__init__.py", "\n"));
const containerfile = file("Containerfile", "FROM anyscale/ray:2.59.0-py311\n");
const app = (importPath = "main:app") => [{ name: "default", import_path: importPath }];
const image = "ghcr.io/round-trip/img:1";

/** A sample per declared field: the inputs it needs beside it (`given`) and its new value (or an edit of local files). */
interface Sample {
  given?: Props;
  value?: unknown;
  edit?: () => void;
}
const SAMPLES: Record<string, Sample> = {
  name: { value: "svc-round-trip-renamed" },
  autoNamePrefix: { value: "other-prefix" },
  ownershipScope: { value: "p/s/other" },
  sourceHash: { given: { workingDir }, edit: () => file("app/main.py", `app = ${Date.now()}\n`) },
  containerfileHash: { given: { containerfile }, edit: () => file("Containerfile", `FROM anyscale/ray:2.59.0-py311\nRUN echo ${Date.now()}\n`) },
  applications: { value: app("main:v2") },
  imageUri: { value: image },
  containerfile: { value: containerfile },
  registryLoginSecret: { given: { imageUri: image }, value: "my-registry-secret" },
  rayVersion: { given: { imageUri: image }, value: "2.50.0" },
  computeConfig: { value: { head_node: { instance_type: "m5.xlarge" } } },
  workingDir: { value: workingDir },
  excludes: { given: { workingDir }, value: ["*.log"] },
  requirements: { value: ["emoji==2.12.1"] },
  envVars: { value: { ROUND_TRIP: "1" } },
  pyModules: { value: [moduleDir] },
  pyExecutable: { value: "python3.11" },
  cloud: { value: "other-cloud" },
  project: { value: "other-project" },
  connections: { value: [{ type: "databricks", name: "local-databricks" }] },
  versionName: { given: { versionName: "base-name" }, value: "next-name" },
  queryAuthTokenEnabled: { value: false },
  httpOptions: { value: { request_timeout_s: 30 } },
  grpcOptions: { value: { port: 9001 } },
  loggingConfig: { value: { log_level: "DEBUG" } },
  rayGcsExternalStorageConfig: { value: { enabled: true, address: "redis.example:6379" } },
  tracingConfig: { value: { enabled: true, exporterImportPath: "tracing.exporter:make" } },
  tags: { value: { team: "round-trip" } },
  "rollout.strategy": { value: "inPlace" },
  "rollout.canaryPercent": { given: { applications: app("main:held"), rollout: { canaryPercent: 30 } }, value: 60 },
  "rollout.maxSurgePercent": { value: 50 },
  "rollout.autoRollback": { value: true },
  "rollout.steps": { value: [{ percent: 50 }, { percent: 100 }] },
  "rollout.healthCheck": { given: { rollout: { steps: [{ percent: 100 }] } }, value: { path: "/" } },
  "rollout.progressDeadline": { given: { rollout: { steps: [{ percent: 100 }] } }, value: "5m" },
  "rollout.retryRejected": { value: true },
  timeouts: { value: { update: "45m" } },
  deletionPolicy: { value: "archive" },
  adoptExisting: { value: true },
};

const FIELDS = SERVICE_FIELDS.filter((declared) => declared.change !== "group");
const BASE: Props = { name: "svc-round-trip", applications: app() };

function withValue(inputs: Props, fieldPath: string, value: unknown): Props {
  const [head, ...rest] = fieldPath.split(".");
  if (rest.length === 0) return { ...inputs, [head]: value };
  return { ...inputs, [head]: withValue(inputs[head] ?? {}, rest.join("."), value) };
}

let id = "";
let state: { inputs: Props; outs: Props } = { inputs: {}, outs: {} };
const checked = (news: Props, olds: Props) => checkedBy(provider, news, olds);
const liveService = async (): Promise<Props> => (await api(plane()).get(`/api/v2/services-v2/${id}`)).body.result;
const liveTags = async () => Object.fromEntries((await api(plane()).get(`/api/v2/tags/resource?resource_type=service&resource_id=${id}`)).body.result.tags.map((t: any) => [t.key, t.value]));

/** The declared field's value on the live service, where the declaration says it lands. */
function onWire(declared: DeclaredField<LiveService>, service: Props): string {
  const version = service.primary_version;
  return canonicalJson(declared.live ? declared.live({ service, version } as LiveService) : valueAt(version, declared.wire!));
}

/** Moves the managed service to `news` the way the engine does (check, diff, update when it changes). */
async function deployTo(news: Props): Promise<{ diff: Props; changed: boolean }> {
  const inputs = await checked(news, state.inputs);
  const diff = await provider.diff(id, state.outs, inputs);
  const outs = diff.changes ? ((await provider.update(id, state.outs, inputs)).outs as Props) : state.outs;
  state = { inputs, outs };
  return { diff, changed: !!diff.changes };
}

describe("every declared Service input round-trips through the local plane", () => {
  beforeAll(async () => {
    await configureFor(provider, plane(), { pollIntervalMs: 20 });
    const inputs = await checked(BASE, {});
    const created = await provider.create(inputs);
    id = created.id;
    state = { inputs, outs: created.outs as Props };
  });

  test("queryAuthTokenEnabled switched on alone: anonymous queries are refused and the token is an output", async () => {
    const publicService = await checked({ name: "svc-auth-switch", applications: app(), queryAuthTokenEnabled: false }, {});
    const created = await provider.create(publicService);
    const anonymous = async (url: string) => (await api({ url, token: "" }).call("GET", "/", undefined, { token: null })).status;
    expect(created.outs!.queryAuthToken).toBeNull();
    expect(await anonymous(created.outs!.queryUrl)).toBe(200);
    const secured = await checked({ ...publicService, queryAuthTokenEnabled: true }, publicService);
    expect((await provider.diff(created.id, created.outs!, secured)).changes).toBe(true);
    const updated = await provider.update(created.id, created.outs!, secured);
    expect(updated.outs!.queryAuthToken).toEqual(expect.any(String));
    expect([401, 403]).toContain(await anonymous(updated.outs!.queryUrl));
  });

  test("the samples cover exactly the declared fields, and each field that reaches the platform says where", () => {
    expect(Object.keys(SAMPLES).sort()).toEqual(FIELDS.map((declared) => declared.path).sort());
    for (const declared of FIELDS.filter(isVersionField)) {
      expect([declared.path, declared.wire]).toEqual([declared.path, expect.any(String)]);
      expect([declared.path, !!declared.readBack.read || !!declared.readBack.note]).toEqual([declared.path, true]);
    }
  });

  test.each(FIELDS.map((declared) => [declared.path, declared] as const))("%s changed alone", async (fieldPath, declared) => {
    const sample = SAMPLES[fieldPath];
    const before = { ...BASE, ...sample.given };
    await deployTo(before);
    const liveBefore = await liveService();
    sample.edit?.();
    const after = sample.edit ? before : withValue(before, fieldPath, sample.value);
    if (refusedInPlace(declared)) {
      // Under an in-place strategy, check refuses the change naming the field.
      const inPlace = (inputs: Props) => ({ ...inputs, rollout: { ...inputs.rollout, strategy: "inPlace" } });
      const refused = await provider.check(inPlace(state.inputs), { ...inPlace(after), __provider: "p" });
      expect(refused.failures?.map((failure) => failure.property)).toEqual([declared.reportedOn ?? fieldPath]);
    }
    const versionsBefore = liveBefore.versions.map((v: Props) => v.id);
    switch (declared.change) {
      case "replace": {
        const inputs = await checked(after, state.inputs);
        expect((await provider.diff(id, state.outs, inputs)).replaces).toEqual([fieldPath]);
        return;
      }
      case "internal":
      case "inPlace":
      case "refusedInPlace": {
        const { changed } = await deployTo(after);
        if (!isVersionField(declared)) return expect(changed).toBe(false);
        expect(changed).toBe(true);
        const liveAfter = await liveService();
        expect(onWire(declared, liveAfter)).not.toEqual(onWire(declared, liveBefore));
        return refreshSeesPlatformChange(declared, liveBefore, liveAfter);
      }
      case "tags":
        expect((await deployTo(after)).changed).toBe(true);
        expect(await liveTags()).toMatchObject(sample.value as Props);
        return;
      case "canary": {
        expect((await deployTo(after)).changed).toBe(true);
        expect((await liveService()).canary_version).toMatchObject({ weight: sample.value });
        await deployTo({ ...before, rollout: undefined });
        return;
      }
      case "providerOnly": {
        expect((await deployTo(after)).changed).toBe(true);
        expect(valueAt(state.outs, fieldPath)).toEqual(sample.value);
        expect((await liveService()).versions.map((v: Props) => v.id)).toEqual(versionsBefore);
        return;
      }
      case "unrecorded":
        expect((await deployTo(after)).changed).toBe(false);
        return;
      default:
        throw new Error(`${fieldPath}: no round-trip rule for change kind ${declared.change}`);
    }
  });

  /**
   * The platform rolls the base back out with only this field's wire value taken from the provider's
   * deploy of the sample (as another client would); refresh must report it.
   */
  async function refreshSeesPlatformChange(declared: DeclaredField<LiveService>, base: Props, changed: Props): Promise<void> {
    await deployTo({ ...BASE, ...SAMPLES[declared.path].given });
    const current = await liveService();
    const primary = current.primary_version;
    // A local edit cannot be undone by redeploying the base: the platform then goes back to the old value instead.
    const target = onWire(declared, current) === onWire(declared, changed) ? base : changed;
    const body: Props = {
      name: base.name,
      project_id: base.project_id,
      version: `oob-${Date.now().toString(36)}`,
      build_id: primary.build_id,
      compute_config_id: primary.compute_config_id,
      ray_serve_config: primary.ray_serve_config,
      config: { access: { use_bearer_token: !!base.auth_token } },
      tracing_config: primary.tracing_config ?? undefined,
      ray_gcs_external_storage_config: primary.ray_gcs_external_storage_config ?? undefined,
      connection_ids: primary.connection_ids,
      rollout_strategy: "ROLLOUT",
    };
    if (declared.wire === "config.access.use_bearer_token") body.config.access.use_bearer_token = !!target.auth_token;
    else if (declared.wire !== "version") body[declared.wire!] = target.primary_version[declared.wire!];
    const applied = await api(plane()).put("/api/v2/services-v2/apply", body);
    expect([applied.status, applied.body?.error]).toEqual([202, undefined]);
    await waitUntil(async () => {
      const live = await liveService();
      return live.current_state === "RUNNING" && !live.canary_version && live.primary_version.id !== primary.id;
    }, { what: `the platform's rollout of ${declared.path}` });
    const read = await provider.read(id, state.outs);
    const refreshed = read.inputs as Props;
    if (declared.readBack.read) expect([declared.path, canonicalJson(refreshed[declared.path])]).not.toEqual([declared.path, canonicalJson(state.inputs[declared.path])]);
    else expect(canonicalJson(refreshed)).not.toEqual(canonicalJson(state.inputs));
    state = { inputs: refreshed, outs: read.props as Props };
  }
});
