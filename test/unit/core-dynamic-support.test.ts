import { z } from "zod";
import { ResourceInitError } from "../../provider/core/errors";
import {
  UNKNOWN_VALUE,
  canonicalJson,
  containsUnknown,
  failuresFromZodIssues,
  formatPropertyPath,
  jsonEqual,
  throwInitFailure,
  toPlainJson,
  validateAllowingUnknowns,
} from "../../provider/core/dynamic-support";

const schema = z.object({ name: z.string(), rollout: z.object({ canaryPercent: z.number().max(100) }).optional(), apps: z.array(z.object({ path: z.string() })) });

describe("dynamic provider support", () => {
  it("formats dotted camelCase paths with indices", () => {
    expect(formatPropertyPath(["rollout", "canaryPercent"])).toBe("rollout.canaryPercent");
    expect(formatPropertyPath(["apps", 0, "path"])).toBe("apps[0].path");
  });

  it("turns zod issues into failures naming the property", () => {
    const parsed = schema.safeParse({ name: 1, apps: [{}] });
    const failures = failuresFromZodIssues(parsed.error!.issues);
    expect(failures.map((f) => f.property).sort()).toEqual(["apps[0].path", "name"]);
    expect(failures[0].reason.startsWith(`${failures[0].property}: `)).toBe(true);
  });

  it("drops issues under unknown values and reports that unknowns remain", () => {
    const result = validateAllowingUnknowns(schema, { name: "x", rollout: { canaryPercent: UNKNOWN_VALUE }, apps: UNKNOWN_VALUE });
    expect(result).toEqual({ ok: false, failures: [], hasUnknowns: true });
    const mixed = validateAllowingUnknowns(schema, { name: UNKNOWN_VALUE, rollout: { canaryPercent: 300 }, apps: [] });
    expect(mixed.ok).toBe(false);
    expect(!mixed.ok && mixed.failures.map((f) => f.property)).toEqual(["rollout.canaryPercent"]);
    expect(validateAllowingUnknowns(schema, { name: "x", apps: [] })).toMatchObject({ ok: true, value: { name: "x", apps: [] } });
    expect(containsUnknown({ a: [1, { b: UNKNOWN_VALUE }] })).toBe(true);
  });

  it("compares JSON regardless of key order and undefined", () => {
    expect(jsonEqual({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1, d: undefined })).toBe(true);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
    expect(toPlainJson({ a: undefined, b: new Date(0) })).toEqual({ b: "1970-01-01T00:00:00.000Z" });
  });

  it("throws the created-but-failed-to-initialize shape, keeping __provider", () => {
    let thrown: unknown;
    try {
      throwInitFailure("service2_1", { state: "UNHEALTHY" }, { __provider: "p", name: "x" }, "rollout failed sss_secret_token_1234");
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ResourceInitError);
    expect(thrown).toMatchObject({ id: "service2_1", properties: { state: "UNHEALTHY", __provider: "p" } });
    expect((thrown as Error).message).not.toContain("sss_secret_token_1234");
    expect((thrown as ResourceInitError).reasons[0]).not.toContain("sss_secret_token_1234");
  });
});
