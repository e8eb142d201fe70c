// Every message that can reach a user, a log or Pulumi state passes through here, so a token
// can only leak if it is neither a registered secret nor shaped like one.

const REDACTED = "[REDACTED]";

const registeredSecrets = new Set<string>();

/** Remember a secret value (an API token, a query auth token, a password) so every later redaction hides it. */
export function registerSecret(value: string | undefined | null): void {
  if (typeof value === "string" && value.length >= 6) registeredSecrets.add(value);
}

const TOKEN_SHAPES: Array<[RegExp, string]> = [
  [/(cli_token=)[^;\s"'&]+/gi, `$1${REDACTED}`],
  [/(bearer\s+)[A-Za-z0-9._~+/=-]{6,}/gi, `$1${REDACTED}`],
  [/\bsss_[A-Za-z0-9._-]+/g, REDACTED],
  [/\bZENKEY_[A-Za-z0-9._=-]+/g, REDACTED],
  [/("(?:password|api_key|apiKey|access_token|auth_token|token|secondary_auth_token|csrf_token|cli_token|bearer_token)"\s*:\s*")[^"]*(")/gi, `$1${REDACTED}$2`],
  [/((?:password|api_key|access_token|auth_token|token)=)[^&\s"']+/gi, `$1${REDACTED}`],
];

/** Replace registered secrets and anything token-shaped in a piece of text. */
export function redact(text: string, extraSecrets: ReadonlyArray<string | undefined> = []): string {
  let out = text;
  for (const secret of [...registeredSecrets, ...extraSecrets]) {
    if (secret && secret.length >= 6) out = out.split(secret).join(REDACTED);
  }
  for (const [pattern, replacement] of TOKEN_SHAPES) out = out.replace(pattern, replacement);
  return out;
}

const SECRET_KEYS = /^(password|api_key|apikey|access_token|auth_token|secondary_auth_token|token|cli_token|csrf_token|bearer_token|authorization|cookie)$/i;

/** Deep copy of a JSON value with secret-named fields and secret values replaced, for request logs and errors. */
export function redactJson(value: unknown, extraSecrets: ReadonlyArray<string | undefined> = []): unknown {
  if (typeof value === "string") return redact(value, extraSecrets);
  if (Array.isArray(value)) return value.map((item) => redactJson(item, extraSecrets));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      out[key] = SECRET_KEYS.test(key) && inner != null ? REDACTED : redactJson(inner, extraSecrets);
    }
    return out;
  }
  return value;
}

export const REDACTION_MARKER = REDACTED;
