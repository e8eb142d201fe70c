// Pure: a JSON Schema (from zod's z.toJSONSchema) as Pulumi package-schema type specs. Constraints
// (lengths, ranges, patterns, enums) stay out of the schema: check enforces them and names the field,
// so a program in any language gets the same message. Nested strict objects become named object types;
// open ones (Ray Serve applications, free-form option maps) become maps of Any.

export interface TypeSpec {
  type?: string;
  items?: TypeSpec;
  additionalProperties?: TypeSpec;
  oneOf?: TypeSpec[];
  $ref?: string;
  description?: string;
}

export interface PropertySpec extends TypeSpec {
  secret?: boolean;
}

export interface ObjectTypeSpec {
  type: "object";
  description?: string;
  properties: Record<string, PropertySpec>;
  required?: string[];
}

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  description?: string;
  /** A shared shape (zod `.meta({ id })`), defined once under `$defs` of the root. */
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
};

const DEFINITIONS = "#/$defs/";

export const ANY: TypeSpec = { $ref: "pulumi.json#/Any" };

/** Collects named object types while converting; names are `<prefix><PropertyName>`. */
export class TypeCollector {
  readonly types: Record<string, ObjectTypeSpec> = {};
  /** The shared shapes of the root being converted: each becomes one named type, whatever its path. */
  private definitions: Record<string, JsonSchema> = {};
  constructor(readonly packageName: string, readonly module = "index") {}

  token(name: string): string {
    return `${this.packageName}:${this.module}:${name}`;
  }

  /** The spec of one property; `typeName` names the object type if the value is a closed object. */
  convert(schema: JsonSchema | undefined, typeName: string): TypeSpec {
    if (!schema || Object.keys(schema).length === 0) return { ...ANY };
    if (schema.$ref?.startsWith(DEFINITIONS)) return this.convertShared(schema.$ref.slice(DEFINITIONS.length));
    const alternatives = schema.anyOf ?? schema.oneOf;
    if (alternatives) {
      const present = alternatives.filter((alt) => alt.type !== "null");
      // A nullable value is its one alternative, under the property's own type name.
      if (present.length === 1) return this.convert(present[0], typeName);
      const specs = present.map((alt, index) => this.convert(alt, `${typeName}${index}`));
      // Alternatives that read the same on the wire (a string or a Date) are that one type.
      if (specs.every((spec) => JSON.stringify(spec) === JSON.stringify(specs[0]))) return specs[0];
      // Object alternatives would need named types per branch; a union with one is simply Any.
      if (specs.some((spec) => spec.$ref && spec.$ref !== "pulumi.json#/Any")) return { ...ANY };
      return { oneOf: specs };
    }
    const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
    switch (type) {
      case "string":
      case "boolean":
      case "integer":
      case "number":
        return { type };
      case "array":
        return { type: "array", items: this.convert(schema.items, `${typeName}Item`) };
      case "object":
        return this.convertObject(schema, typeName);
      default:
        return { ...ANY };
    }
  }

  private convertShared(name: string): TypeSpec {
    if (this.types[this.token(name)]) return { $ref: `#/types/${this.token(name)}` };
    return this.convert(this.definitions[name], name);
  }

  private convertObject(schema: JsonSchema, typeName: string): TypeSpec {
    const closed = schema.additionalProperties === false && schema.properties && Object.keys(schema.properties).length > 0;
    if (!closed) {
      const values = typeof schema.additionalProperties === "object" && !schema.properties ? this.convert(schema.additionalProperties, `${typeName}Value`) : ANY;
      return { type: "object", additionalProperties: values };
    }
    this.types[this.token(typeName)] = this.objectType(schema, typeName);
    return { $ref: `#/types/${this.token(typeName)}` };
  }

  objectType(schema: JsonSchema, typeName: string, omit: ReadonlySet<string> = new Set(), describe?: (field: string) => string | undefined): ObjectTypeSpec {
    if (schema.$defs) this.definitions = schema.$defs;
    // A root that is itself a shared shape arrives as a reference to its definition.
    if (!schema.properties && schema.$ref?.startsWith(DEFINITIONS)) schema = this.definitions[schema.$ref.slice(DEFINITIONS.length)];
    const properties: Record<string, PropertySpec> = {};
    for (const [field, inner] of Object.entries(schema.properties ?? {})) {
      if (omit.has(field)) continue;
      const spec: PropertySpec = this.convert(inner, `${typeName}${capitalize(field)}`);
      const description = describe?.(field) ?? inner.description ?? enumNote(inner);
      if (description) spec.description = description;
      properties[field] = spec;
    }
    const required = (schema.required ?? []).filter((field) => !omit.has(field) && field in properties);
    return { type: "object", properties, ...(required.length > 0 ? { required } : {}) };
  }
}

function enumNote(schema: JsonSchema): string | undefined {
  return schema.enum ? `One of ${schema.enum.map((value) => JSON.stringify(value)).join(", ")}.` : undefined;
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1).replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
