// A resource's declared model: each input of its zod object schema carries, in zod's own metadata,
// its description (the global registry, so z.toJSONSchema and the package schema see it) and how the
// resource treats it (a registry of the resource's own, so functions never leak into JSON Schema):
// how a change is applied, where it lands on the wire, how it is read back from the live object.
// Everything that lists fields (in-place rules, comparisons, import, stored inputs) is derived from
// here. Knows no API: the live shape is the resource's type parameter.
import { z } from "zod";

/**
 * How a change to one input reaches the platform.
 * - replace: a new object (the old one retired);
 * - inPlace: a new version, or applied to the running one under an in-place strategy;
 * - refusedInPlace: a new version only; an in-place strategy refuses the change at check (`reason`);
 * - canary: moves traffic between live versions;
 * - tags: the tags API, no new version;
 * - providerOnly: what the provider does next (state only, no API call);
 * - internal: set by the host or by check, never written by the user (never a change of its own
 *   unless `internalChange` says how it is applied);
 * - unrecorded: never a change (e.g. wait limits of the next operation);
 * - group: an object whose own fields are declared one by one.
 */
export type ChangeKind = "replace" | "inPlace" | "refusedInPlace" | "canary" | "tags" | "providerOnly" | "internal" | "unrecorded" | "group";

/** Where a field's value is read back from on the live object, which also says when refresh looks. */
export type ReadBackSource = "service" | "version" | "build" | "computeConfig" | "serveConfig" | "connections" | "tags" | "none";

export interface FieldDeclaration<Live = unknown> {
  change: ChangeKind;
  /** refusedInPlace: why an in-place update cannot apply it (shown at check). */
  reason?: string;
  /** internal fields that still deploy when they change (a digest of local sources). */
  internalChange?: "inPlace" | "refusedInPlace";
  /** internal fields: the input the user edits to change it (failures are reported on that one). */
  reportedOn?: string;
  /**
   * Where the value lands in the write request (dotted path), or the API that carries it
   * ("tags API"). Absent only for providerOnly/unrecorded/internal fields without a change.
   */
  wire?: string;
  /** The same value as the live object shows it, when the live object names it otherwise than `wire`. */
  live?: (live: Live) => unknown;
  /** The request's value leaves the choice to the platform when unset (a live value then always matches). */
  platformChoosesWhenUnset?: boolean;
  /** The input's canonical form for comparing with a read-back (defaults the wire fills in made explicit or dropped). */
  normalize?: (value: unknown) => unknown;
  /** Where the live object shows it; `none` with `note` explains why it cannot be read back. */
  readBack: { from: ReadBackSource; read?: (live: Live) => unknown; note?: string };
}

export interface DeclaredField<Live = unknown> extends FieldDeclaration<Live> {
  /** Dotted input path, e.g. `rollout.canaryPercent`. */
  path: string;
  description: string;
  schema: z.ZodType;
}

export type Declarations<Live> = z.core.$ZodRegistry<FieldDeclaration<Live>>;

export function declarationRegistry<Live>(): Declarations<Live> {
  return z.registry<FieldDeclaration<Live>>();
}

/** One declared input: its description (zod's global metadata) and its treatment (the resource's registry). */
export function declare<T extends z.ZodType, Live>(schema: T, registry: Declarations<Live>, description: string, declaration: FieldDeclaration<Live>): T {
  const described = schema.meta({ description }) as T;
  // zod's registry types rewrite `$output`-style placeholders in metadata; the functions here take the live shape.
  registry.add(described, declaration as never);
  return described;
}

function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  let inner: z.ZodType = schema;
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodNullable || inner instanceof z.ZodDefault) inner = inner.unwrap() as z.ZodType;
  return inner instanceof z.ZodObject ? (inner.shape as Record<string, z.ZodType>) : undefined;
}

/**
 * Every declared field of an object schema, groups expanded into their dotted fields. A field without
 * a declaration throws: the model is the one list, so nothing may sit outside it.
 */
export function declaredFields<Live>(object: z.ZodObject, registry: Declarations<Live>, prefix = ""): DeclaredField<Live>[] {
  return Object.entries(object.shape as Record<string, z.ZodType>).flatMap(([key, schema]) => {
    const path = `${prefix}${key}`;
    const declaration = registry.get(schema) as FieldDeclaration<Live> | undefined;
    if (!declaration) throw new Error(`${path}: declared in the schema without its treatment (declare() it)`);
    const description = z.globalRegistry.get(schema)?.description ?? "";
    const field: DeclaredField<Live> = { ...declaration, path, description, schema };
    if (declaration.change !== "group") return [field];
    const shape = objectShape(schema);
    if (!shape) throw new Error(`${path}: a group must be an object schema`);
    return [field, ...declaredFields(z.object(shape), registry, `${path}.`)];
  });
}

/** The paths of the declared fields whose change is one of `kinds` (groups never listed). */
export function pathsOf<Live>(fields: readonly DeclaredField<Live>[], ...kinds: ChangeKind[]): string[] {
  return fields.filter((field) => kinds.includes(field.change)).map((field) => field.path);
}

/** The top-level input names (what a stored state's input part is made of). */
export function topLevelKeys(object: z.ZodObject): string[] {
  return Object.keys(object.shape);
}

/** A dotted path's value in a plain object. */
export function valueAt(source: unknown, path: string): unknown {
  let value: unknown = source;
  for (const part of path.split(".")) value = value && typeof value === "object" ? (value as Record<string, unknown>)[part] : undefined;
  return value;
}

/** A value with null and undefined members dropped (recursively): what the wire means by "unset". */
export function withoutUnset(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUnset);
  if (value && typeof value === "object") {
    const entries = Object.entries(value).filter(([, inner]) => inner !== null && inner !== undefined);
    return Object.fromEntries(entries.map(([key, inner]) => [key, withoutUnset(inner)]));
  }
  return value === null ? undefined : value;
}

const CHANGE_NOTES: Record<ChangeKind, string | undefined> = {
  replace: "Changing it replaces the resource.",
  inPlace: "A change deploys a new version (or updates the running one under an in-place strategy).",
  refusedInPlace: "A change deploys a new version; an in-place strategy refuses it",
  canary: "A change moves traffic between the live versions.",
  tags: "A change goes through the tags API (no new version).",
  providerOnly: "Provider-side: a change is recorded in state, with no API call.",
  internal: undefined,
  unrecorded: "Never a change of its own.",
  group: undefined,
};

/** A field's description with how a change to it is applied (the package schema and docs show this). */
export function describedWithChange<Live>(declared: DeclaredField<Live>): string {
  const note = CHANGE_NOTES[declared.change];
  if (!note) return declared.description;
  return `${declared.description} ${declared.change === "refusedInPlace" ? `${note} (${declared.reason}).` : note}`;
}
