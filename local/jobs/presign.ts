// Log chunk URLs are presigned like the platform's bucket URLs: the signature (an HMAC keyed by a
// secret derived from the API token) authorizes the download, so the chunk URL needs no API token.
import { createHmac, timingSafeEqual } from "node:crypto";

export function signChunkPath(secret: string, pathname: string, expiresAtS: number): string {
  return createHmac("sha256", secret).update(`${pathname}\n${expiresAtS}`).digest("hex");
}

export function verifyChunkSignature(secret: string, pathname: string, expires: string | null, signature: string | null, nowS: number): boolean {
  if (!expires || !signature || !/^\d+$/.test(expires)) return false;
  const expiresAtS = Number(expires);
  if (expiresAtS < nowS) return false;
  const expected = Buffer.from(signChunkPath(secret, pathname, expiresAtS), "hex");
  const given = Buffer.from(signature, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
