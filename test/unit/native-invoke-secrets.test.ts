import { invokeReturn } from "../../provider/hosts/native/invoke-secrets";
import { invokeFor } from "../../provider/hosts/native/invokes";
import { registerSecret } from "../../provider/core/redact";
import { SECRET_SIGNATURE, SIGNATURE_KEY, unwrapSecrets } from "../../provider/hosts/native/values";

// Which invoke results the plugin hands back to the engine as secrets.

const getService = invokeFor("anyscale:index:getService")!;
const getTags = invokeFor("anyscale:index:getTags")!;
const status = { name: "api", state: "RUNNING", primaryVersion: { id: "v1", config: { applications: [{ runtime_env: { env_vars: { KEY: "value-1" } } }] } } };

describe("invoke results as secrets", () => {
  test("a verbose read is secret as a whole, a plain one is not", () => {
    const verbose = invokeReturn({ spec: getService, args: { name: "api", verbose: true }, argsHadSecret: false, result: status });
    expect(Object.values(verbose).every((value) => (value as Record<string, unknown>)[SIGNATURE_KEY] === SECRET_SIGNATURE)).toBe(true);
    expect(unwrapSecrets(verbose).props).toEqual(status);
    const plain = { name: "api", state: "RUNNING" };
    expect(invokeReturn({ spec: getService, args: { name: "api" }, argsHadSecret: false, result: plain })).toEqual(plain);
  });

  test("the verbose reads are exactly the ones that carry configs", () => {
    for (const token of ["getService", "listServices", "getJob", "listJobs"]) expect(invokeFor(`anyscale:index:${token}`)!.secretResult?.({ verbose: true })).toBe(true);
    for (const token of ["getJobLogs", "getJobQueue", "listJobQueues", "getTags"]) expect(invokeFor(`anyscale:index:${token}`)!.secretResult).toBeUndefined();
  });

  test("a secret argument, a registered secret or a token-shaped value makes the result secret", () => {
    const tags = { resource: "service", id: "svc_1", tags: { team: "ml" } };
    expect(unwrapSecrets(invokeReturn({ spec: getTags, args: { id: "svc_1" }, argsHadSecret: true, result: tags })).secretKeys.size).toBe(3);
    registerSecret("registered-secret-value");
    const leaked = { ...tags, tags: { note: "registered-secret-value" } };
    expect(unwrapSecrets(invokeReturn({ spec: getTags, args: {}, argsHadSecret: false, result: leaked })).secretKeys).toEqual(new Set(["resource", "id", "tags"]));
    const tokenShaped = { ...tags, tags: { note: "sss_abcdef123" } };
    expect(unwrapSecrets(invokeReturn({ spec: getTags, args: {}, argsHadSecret: false, result: tokenShaped })).secretKeys.size).toBe(3);
  });
});
