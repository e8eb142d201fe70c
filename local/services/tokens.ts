import { LocalApiError } from "../types";
import type { ServiceRecord } from "./model";

// Query auth token rotation (pure): add a secondary token, then delete the old one. The query URL
// accepts both tokens while two exist.

export function addSecondaryToken(existing: ServiceRecord, newToken: string): ServiceRecord {
  if (existing.authToken === null) {
    throw new LocalApiError(400, `Service '${existing.name}' does not use bearer token auth (config.access.use_bearer_token is false).`);
  }
  if (existing.secondaryAuthToken !== null) {
    throw new LocalApiError(409, `Service '${existing.name}' already has a secondary auth token; delete one token before adding another.`);
  }
  return { ...existing, secondaryAuthToken: newToken };
}

/** Deletes `token` (default: the primary, in which case the secondary is promoted). */
export function deleteToken(existing: ServiceRecord, token: string | undefined): ServiceRecord {
  if (existing.authToken === null) {
    throw new LocalApiError(400, `Service '${existing.name}' does not use bearer token auth.`);
  }
  const deletingPrimary = token === undefined || token === existing.authToken;
  if (!deletingPrimary && token !== existing.secondaryAuthToken) {
    throw new LocalApiError(404, `The given auth token is not a token of service '${existing.name}'.`);
  }
  if (!deletingPrimary) return { ...existing, secondaryAuthToken: null };
  if (existing.secondaryAuthToken === null) {
    throw new LocalApiError(400, `Cannot delete the only auth token of service '${existing.name}'; add a secondary token first.`);
  }
  return { ...existing, authToken: existing.secondaryAuthToken, secondaryAuthToken: null };
}
