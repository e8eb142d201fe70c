// Zod schemas of the service responses (/api/v2/services-v2). Loose objects: unknown fields pass
// through (the API grows), but the fields decisions depend on are checked, so a malformed response
// becomes an UnexpectedResponseError naming the endpoint instead of a silent default.
import { z } from "zod";

const optionalString = z.string().nullish();
const optionalNumber = z.number().nullish();

export const serviceVersionSchema = z.looseObject({
  id: z.string(),
  version: optionalString,
  created_at: optionalString,
  weight: optionalNumber,
  current_weight: optionalNumber,
  target_weight: optionalNumber,
  current_state: z.string(),
  build_id: optionalString,
  compute_config_id: optionalString,
  ray_serve_config: z.record(z.string(), z.unknown()).nullish(),
  ray_gcs_external_storage_config: z.record(z.string(), z.unknown()).nullish(),
  tracing_config: z.record(z.string(), z.unknown()).nullish(),
  connection_ids: z.array(z.string()).nullish(),
});
export type ServiceVersionModel = z.infer<typeof serviceVersionSchema>;

export const serviceSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  description: optionalString,
  project_id: z.string(),
  cloud_id: optionalString,
  creator_id: optionalString,
  creator: z.looseObject({ email: optionalString }).nullish(),
  created_at: optionalString,
  ended_at: optionalString,
  hostname: optionalString,
  base_url: optionalString,
  current_state: z.string(),
  goal_state: optionalString,
  error_message: optionalString,
  auth_token: optionalString,
  primary_version: serviceVersionSchema.nullish(),
  canary_version: serviceVersionSchema.nullish(),
  versions: z.array(serviceVersionSchema).nullish(),
  is_multi_version: z.boolean().nullish(),
});
export type ServiceModel = z.infer<typeof serviceSchema>;

/** The states the backend reports for a service (its ServiceEventCurrentState). */
export const BACKEND_SERVICE_STATES = [
  "STARTING",
  "RUNNING",
  "UPDATING",
  "ROLLING_OUT",
  "ROLLING_BACK",
  "UNHEALTHY",
  "TERMINATING",
  "TERMINATED",
  "SYSTEM_FAILURE",
  "USER_ERROR_FAILURE",
] as const;

/** Service states as the SDK knows them; anything else is treated as UNKNOWN by the rules. */
export const SERVICE_STATES = [...BACKEND_SERVICE_STATES, "UNKNOWN"] as const;
export type ServiceState = (typeof SERVICE_STATES)[number];

export function normalizeServiceState(state: string): ServiceState {
  return (SERVICE_STATES as readonly string[]).includes(state) ? (state as ServiceState) : "UNKNOWN";
}
