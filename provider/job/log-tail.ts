// Logs are the user's data: they go to the `logTail` output and into failure messages. Two guards:
// a secret value the user gave this resource (the API token, a secret env var) is masked in the
// output, and a failure message leaves the log out entirely when it would carry such a secret.
import { REDACTION_MARKER, redact } from "../core/redact";

/** The last `count` lines of a text (a trailing newline does not count as an empty line). */
export function lastLines(lines: readonly string[], count: number): string[] {
  if (count <= 0) return [];
  return lines.slice(Math.max(0, lines.length - count));
}

/** Secret values at least this long are masked; shorter ones would mask ordinary words. */
const MIN_SECRET_LENGTH = 6;

function usableSecrets(secrets: ReadonlyArray<string | undefined>): string[] {
  return secrets.filter((value): value is string => typeof value === "string" && value.length >= MIN_SECRET_LENGTH);
}

/** The log text for state: registered and token-shaped secrets plus the given values masked. */
export function logTailForOutput(lines: readonly string[], secrets: ReadonlyArray<string | undefined>): string {
  return redact(lines.join("\n"), usableSecrets(secrets));
}

/**
 * The log section of a failure message, or a note saying why it was left out. The check is made on
 * the raw lines: if masking would change them, they held a secret and do not belong in an error.
 */
export function logTailForError(lines: readonly string[], secrets: ReadonlyArray<string | undefined>, where: string): string {
  if (lines.length === 0) return "The job wrote no log lines.";
  const raw = lines.join("\n");
  const masked = redact(raw, usableSecrets(secrets));
  if (masked !== raw && masked.includes(REDACTION_MARKER)) {
    return `Its log is left out of this message because it contains a secret value given to this resource; read it with ${where}.`;
  }
  return `Last ${lines.length} log line(s):\n${indent(raw)}`;
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
}
