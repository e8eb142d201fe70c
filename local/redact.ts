// The local plane logs request bodies; anything credential-like is masked before it reaches disk.
// Its policy is broader than provider/core/redact.ts (any key that looks secret, shorter known
// secrets). The marker reads the same as the provider's, but is the plane's own: the plane stands in
// for the platform and imports nothing from the client (test/unit/provider-layers.test.ts).

const SECRET_KEY = /token|secret|password|passwd|credential|api[_-]?key|authorization|cookie|signature/i;
// Pagination cursors are named like tokens but carry nothing secret.
const NOT_SECRET_KEY = /paging_token|page_token/i;
export const REDACTED = "[REDACTED]";

/** Deep copy of `value` with secret-looking keys masked and every known secret string replaced. */
export function redactValue(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === "string") return redactString(value, secrets);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secrets));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = isSecretKey(k) && v !== null && v !== undefined && typeof v !== "boolean" ? REDACTED : redactValue(v, secrets);
    }
    return out;
  }
  return value;
}

export function redactString(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out;
}

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) && !NOT_SECRET_KEY.test(key);
}
