// fromYaml overrides combine with the file like the CLI's flags over `-f`: env vars and tags per key,
// excludes appended, everything else replaced. (The official CLI's own wire is compared in
// test/integration/contract-cli-yaml-overrides.test.ts.)
import * as pulumi from "@pulumi/pulumi";
import { applyYamlOverrides } from "../../sdk/yaml-overrides";

const FILE = {
  name: "svc",
  envVars: { A: "1", B: "2" },
  tags: { team: "ml", env: "dev" },
  excludes: [".git", "*.pyc"],
  imageUri: "anyscale/ray:2.48.0-py311",
};

const resolved = <T>(value: unknown) => new Promise<T>((resolve) => (value as pulumi.Output<T>).apply((v) => resolve(v)));

describe("applyYamlOverrides", () => {
  it("merges env vars and tags per key and appends excludes", () => {
    const merged = applyYamlOverrides<Record<string, unknown>>(FILE, { envVars: { B: "20", C: "3" }, tags: { env: "prod" }, excludes: ["data/", ".git"] });
    expect(merged).toEqual({
      ...FILE,
      envVars: { A: "1", B: "20", C: "3" },
      tags: { team: "ml", env: "prod" },
      excludes: [".git", "*.pyc", "data/"],
    });
  });

  it("replaces every other field whole, and leaves the file untouched", () => {
    const merged = applyYamlOverrides<Record<string, unknown>>(FILE, { imageUri: "anyscale/ray:2.49.0-py311", rollout: { canaryPercent: 10 }, pyModules: undefined });
    expect(merged.imageUri).toBe("anyscale/ray:2.49.0-py311");
    expect(merged.rollout).toEqual({ canaryPercent: 10 });
    expect("pyModules" in merged).toBe(false);
    expect(FILE.envVars).toEqual({ A: "1", B: "2" });
  });

  it("takes the override as is when the file has no value", () => {
    const merged = applyYamlOverrides<Record<string, unknown>>({ name: "svc" }, { envVars: { C: "3" }, excludes: ["x"] });
    expect(merged).toEqual({ name: "svc", envVars: { C: "3" }, excludes: ["x"] });
  });

  it("merges an Output override once it resolves, keeping it secret", async () => {
    const merged = applyYamlOverrides<Record<string, unknown>>(FILE, { envVars: pulumi.secret({ TOKEN: "t" }) });
    expect(pulumi.Output.isInstance(merged.envVars)).toBe(true);
    expect(await resolved(merged.envVars)).toEqual({ A: "1", B: "2", TOKEN: "t" });
    expect(await pulumi.isSecret(merged.envVars as pulumi.Output<unknown>)).toBe(true);
  });
});
