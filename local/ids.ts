import { randomBytes } from "node:crypto";

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** Anyscale-style id: a type prefix and 24 lowercase alphanumerics, e.g. service2_k3j... */
export function newId(prefix: string): string {
  return `${prefix}_${randomToken(24)}`;
}

export function randomToken(length: number): string {
  const bytes = randomBytes(length);
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHABET[bytes[i] % ALPHABET.length];
  return out;
}
