import { NativeProvider } from "../../provider/hosts/native/server";
import type { EngineLog } from "../../provider/hosts/native/engine-log";
import { fromStruct, secretOf, toStruct } from "../../provider/hosts/native/values";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const proto = require("@pulumi/pulumi/proto/provider_pb");

// The gRPC methods of the native host called in-process with real protocol messages (no engine, no
// network: check and diff make no API call).

const URN = "urn:pulumi:dev::my-infra::anyscale:index:Service::api";

function recordingEngine(): EngineLog & { lines: { severity: string; message: string; urn?: string; ephemeral?: boolean }[] } {
  const lines: { severity: string; message: string; urn?: string; ephemeral?: boolean }[] = [];
  return { lines, log: async (severity, message, urn, ephemeral) => void lines.push({ severity, message, urn, ephemeral }) };
}

const inputs = { name: "api", applications: [{ import_path: "main:app" }], imageUri: "anyscale/ray:2.48.0-py311" };
const state = { ...inputs, ownershipScope: "my-infra/dev/api", serviceId: "svc_1", state: "RUNNING", primaryVersion: { name: "v1", weight: 100 }, deployment: { status: "succeeded" } };

function kinds(response: any): Record<string, number> {
  const map = response.getDetaileddiffMap();
  const out: Record<string, number> = {};
  map.forEach((value: any, key: string) => (out[key] = value.getKind()));
  return out;
}

async function diff(provider: NativeProvider, news: Record<string, unknown>) {
  const request = new proto.DiffRequest().setId("svc_1").setUrn(URN).setType("anyscale:index:Service").setOlds(toStruct(state)).setNews(toStruct(news)).setOldInputs(toStruct({ ...inputs, ownershipScope: "my-infra/dev/api" }));
  return (await provider.diff(request)) as any;
}

describe("native host RPCs", () => {
  test("check fills the owner scope from the URN and keeps secret inputs secret", async () => {
    const provider = new NativeProvider(recordingEngine(), "0.1.0");
    const request = new proto.CheckRequest().setUrn(URN).setType("anyscale:index:Service").setOlds(toStruct({})).setNews(toStruct({ ...inputs, envVars: secretOf({ KEY: "v" }) }));
    const response = (await provider.check(request)) as any;
    expect(response.getFailuresList()).toEqual([]);
    const checked = fromStruct(response.getInputs());
    // The URN's scope plus this instance's nonce (core/owner-mark.ts).
    expect(checked.props.ownershipScope).toMatch(/^my-infra\/dev\/api#[0-9a-f]{24}$/);
    expect([...checked.secretKeys]).toEqual(["envVars"]);
  });

  test("check names a bad field and sends nothing anywhere", async () => {
    const engine = recordingEngine();
    const provider = new NativeProvider(engine, "0.1.0");
    const request = new proto.CheckRequest().setUrn(URN).setType("anyscale:index:Service").setOlds(toStruct({})).setNews(toStruct({ ...inputs, rollout: { canaryPercent: 150 } }));
    const failures = ((await provider.check(request)) as any).getFailuresList().map((f: any) => f.getProperty());
    expect(failures).toEqual(["rollout.canaryPercent"]);
    expect(engine.lines).toEqual([]);
  });

  test("diff: internal inputs alone are no change; a rollout gets a detailed diff and one plan line for the URN", async () => {
    const engine = recordingEngine();
    const provider = new NativeProvider(engine, "0.1.0");
    const none = await diff(provider, { ...inputs, ownershipScope: "other/scope/api" });
    expect(none.getChanges()).toBe(proto.DiffResponse.DiffChanges.DIFF_NONE);
    expect(engine.lines).toEqual([]);

    const rollout = await diff(provider, { ...inputs, imageUri: "anyscale/ray:2.49.0-py311", rollout: { canaryPercent: 10 }, ownershipScope: "my-infra/dev/api" });
    expect(rollout.getChanges()).toBe(proto.DiffResponse.DiffChanges.DIFF_SOME);
    expect(rollout.getHasdetaileddiff()).toBe(true);
    const detailed = kinds(rollout);
    expect(detailed).toEqual({ imageUri: proto.PropertyDiff.Kind.UPDATE, "rollout.canaryPercent": proto.PropertyDiff.Kind.ADD });
    expect(rollout.getDiffsList().sort()).toEqual(["imageUri", "rollout"]);
    expect(engine.lines).toEqual([{ severity: "info", message: "rollout: new version (imageUri changed), held at 10% of traffic; v1 keeps 90%", urn: URN, ephemeral: undefined }]);

    const replace = await diff(provider, { ...inputs, name: "api2" });
    expect(replace.getReplacesList()).toEqual(["name"]);
    expect(kinds(replace)).toEqual({ name: proto.PropertyDiff.Kind.UPDATE_REPLACE });
  });

  test("config: the token is secret and a malformed one is named", async () => {
    const provider = new NativeProvider(recordingEngine(), "0.1.0");
    const request = new proto.CheckRequest().setUrn("urn:pulumi:dev::p::pulumi:providers:anyscale::default").setOlds(toStruct({})).setNews(toStruct({ host: "http://127.0.0.1:1", token: "not a token" }));
    const response = (await provider.checkConfig(request)) as any;
    expect(response.getFailuresList().map((f: any) => f.getProperty())).toEqual(["token"]);
    expect(JSON.stringify(response.getFailuresList().map((f: any) => f.getReason()))).not.toContain("not a token");
    expect([...fromStruct(response.getInputs()).secretKeys]).toEqual(["token"]);
  });
});
