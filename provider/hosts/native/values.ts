// Property values on the wire: a google.protobuf.Struct whose objects may carry Pulumi's signature key
// (secrets, assets). The shared resource logic works on plain JSON, so secrets are unwrapped on the
// way in, remembered by top-level property, and wrapped again on the way out.
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { toPlainJson } from "../../core/dynamic-support";

export const SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";

export type Props = Record<string, unknown>;

export interface Unwrapped {
  props: Props;
  /** Top-level properties that held a secret anywhere inside. */
  secretKeys: Set<string>;
  /** Dotted paths of the secret values themselves (e.g. "envVars.API_KEY"). */
  secretPaths: string[];
}

function isSecretValue(value: unknown): value is { value?: unknown } {
  return !!value && typeof value === "object" && (value as Props)[SIGNATURE_KEY] === SECRET_SIGNATURE;
}

function strip(value: unknown, path: string, found: string[]): unknown {
  if (isSecretValue(value)) {
    found.push(path);
    return strip(value.value, path, found);
  }
  if (Array.isArray(value)) return value.map((item, index) => strip(item, `${path}[${index}]`, found));
  if (value && typeof value === "object") {
    const out: Props = {};
    for (const [key, inner] of Object.entries(value)) out[key] = strip(inner, path ? `${path}.${key}` : key, found);
    return out;
  }
  return value;
}

/** Plain props from a Struct (or a JS object off one), with where secrets were. */
export function unwrapSecrets(raw: Props | undefined): Unwrapped {
  const secretPaths: string[] = [];
  const props = (strip(raw ?? {}, "", secretPaths) ?? {}) as Props;
  const secretKeys = new Set(secretPaths.map((path) => path.split(/[.[]/)[0]));
  return { props, secretKeys, secretPaths };
}

export function fromStruct(struct: Struct | undefined): Unwrapped {
  return unwrapSecrets(struct ? (struct.toJavaScript() as Props) : {});
}

export function secretOf(value: unknown): Props {
  return { [SIGNATURE_KEY]: SECRET_SIGNATURE, value };
}

/**
 * Wraps the given top-level properties as secrets (absent or null ones stay as they are). A key named
 * twice (a declared secret output that the old state also held secret, as on every refresh) or a value
 * already wrapped is wrapped once: the engine stores a secret inside a secret as it is, and a state
 * holding a secret envelope inside a secret no longer reads as the plain secret it was.
 */
export function wrapSecrets(props: Props, secretKeys: Iterable<string>): Props {
  const out: Props = { ...props };
  for (const key of new Set(secretKeys)) if (out[key] !== undefined && out[key] !== null && !isSecretValue(out[key])) out[key] = secretOf(out[key]);
  return out;
}

export function toStruct(props: Props): Struct {
  return Struct.fromJavaScript((toPlainJson(props) ?? {}) as Record<string, never>);
}
