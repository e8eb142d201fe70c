// Every engine function's inputs and outputs are typed in the package schema: no `pulumi.json#/Any`
// except as the values of an open map listed here (free-form user JSON), each with its reason.
import { buildPackageSchema } from "../../provider/hosts/native/schema";

const ANY_REF = "pulumi.json#/Any";

/** Where an Any may stay: the values of these open maps (the end of the path of the map), and why. */
const OPEN_MAPS: Record<string, string> = {
  "Config.properties.applications.items": "a Ray Serve application is the user's own Serve config (any Serve field, any user_config)",
  "Config.properties.httpOptions": "Ray Serve HTTP options, passed through as the user wrote them",
  "Config.properties.grpcOptions": "Ray Serve gRPC options, passed through as the user wrote them",
  "Config.properties.loggingConfig": "Ray Serve logging config, passed through as the user wrote it",
  "Config.properties.computeConfig.oneOf.1":
    "an anonymous compute config's definition (the SDK's ComputeConfig, snake_case: nested node types, free-form flags and advanced instance config); a registered one is its `name:version` string",
};

type Spec = Record<string, unknown>;
type Schema = { functions: Record<string, { inputs: Spec; outputs: Spec }>; types: Record<string, Spec> };

/** Paths (with the type or function they are in) of every Any reachable from a spec. */
function anyPaths(spec: unknown, path: string, schema: Schema, seen: Set<string>): string[] {
  if (!spec || typeof spec !== "object") return [];
  const node = spec as Spec;
  if (node.$ref === ANY_REF) return [path];
  if (typeof node.$ref === "string" && node.$ref.startsWith("#/types/")) {
    const token = node.$ref.slice("#/types/".length);
    if (seen.has(token)) return [];
    seen.add(token);
    return anyPaths(schema.types[token], token.split(":")[2], schema, seen);
  }
  return Object.entries(node).flatMap(([key, inner]) => (typeof inner === "object" ? anyPaths(inner, `${path}.${key}`, schema, seen) : []));
}

/** Only the values of a listed open map may be Any. */
function allowed(path: string): boolean {
  return Object.keys(OPEN_MAPS).some((map) => path.endsWith(`${map}.additionalProperties`));
}

describe("the package schema's function types", () => {
  const schema = buildPackageSchema("0.0.0") as unknown as Schema;
  const functions = Object.entries(schema.functions);

  it("covers every engine function, each with declared outputs", () => {
    expect(functions.length).toBeGreaterThanOrEqual(8);
    for (const [token, fn] of functions) expect([token, Object.keys((fn.outputs.properties ?? {}) as object).length > 0]).toEqual([token, true]);
  });

  it.each(functions.map(([token]) => [token]))("%s has no Any outside a listed open map", (token) => {
    const fn = schema.functions[token];
    const name = token.split(":")[2];
    const paths = [...anyPaths(fn.inputs, `${name}.inputs`, schema, new Set()), ...anyPaths(fn.outputs, `${name}.outputs`, schema, new Set())];
    expect(paths.filter((path) => !allowed(path))).toEqual([]);
  });

  it("describes every output property", () => {
    const undescribed: string[] = [];
    const visit = (spec: Spec, where: string) => {
      for (const [field, property] of Object.entries((spec.properties ?? {}) as Record<string, Spec>)) if (!property.description) undescribed.push(`${where}.${field}`);
    };
    for (const [token, fn] of functions) visit(fn.outputs, token);
    for (const [token, type] of Object.entries(schema.types)) if (/Result/.test(token)) visit(type, token);
    expect(undescribed).toEqual([]);
  });
});
