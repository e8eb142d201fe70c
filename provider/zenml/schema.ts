// zod schemas for zenml.Service: the resource inputs (camelCase, validated at check time) and the
// ZenML wire shapes we rely on (validated on every response, so a bad reply names its endpoint).
import { z } from "zod";

/** ZenML's ServiceState enum, exactly as its server accepts it. */
export const SERVICE_STATES = ["inactive", "active", "pending_startup", "pending_shutdown", "error", "scaled_to_zero"] as const;
export const ServiceStateSchema = z.enum(SERVICE_STATES, {
  error: () => `must be one of ${SERVICE_STATES.join(", ")}`,
});
export type ServiceState = z.infer<typeof ServiceStateSchema>;

// ZenML parses UUIDs leniently (any version), so the RFC-variant check of z.uuid() would reject ids it issues.
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => UUID_PATTERN.test(value);
export const UuidSchema = z.string().regex(UUID_PATTERN, { error: "must be a UUID like 123e4567-e89b-12d3-a456-426614174000" });

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname.length > 0;
  } catch {
    return false;
  }
}
export const HttpUrlSchema = z.string().refine(isHttpUrl, { error: "must be an absolute http(s) URL" });

const JsonObjectSchema = z.record(z.string(), z.unknown(), { error: "must be an object" });

export const ServiceTypeSchema = z.strictObject({
  type: z.string().min(1, { error: "must not be empty" }),
  flavor: z.string().min(1, { error: "must not be empty" }),
  name: z.string().optional(),
  description: z.string().optional(),
  logoUrl: HttpUrlSchema.optional(),
});
export type ServiceType = z.infer<typeof ServiceTypeSchema>;

/** `status` is free-form in ZenML, but its `state` is copied into the record's state, so it must be valid. */
export const ServiceStatusSchema = z.looseObject({ state: ServiceStateSchema.optional() });

/** The inputs of zenml.Service, mirroring ZenML's ServiceRequest. */
export const ServiceInputsSchema = z.strictObject({
  name: z.string().min(1, { error: "must not be empty" }).max(255, { error: "must be at most 255 characters" }),
  /** Project name or id; defaults to `zenml:project`, then ZenML's `default` project. */
  project: z.string().min(1, { error: "must not be empty" }).optional(),
  serviceType: ServiceTypeSchema,
  serviceSource: z.string().min(1, { error: "must not be empty" }).optional(),
  adminState: ServiceStateSchema.optional(),
  config: JsonObjectSchema.optional(),
  labels: z.record(z.string(), z.string({ error: "label values must be strings" })).optional(),
  status: ServiceStatusSchema.optional(),
  endpoint: JsonObjectSchema.optional(),
  predictionUrl: HttpUrlSchema.optional(),
  healthCheckUrl: HttpUrlSchema.optional(),
  modelVersionId: UuidSchema.optional(),
  pipelineRunId: UuidSchema.optional(),
  /** Set by check, never by users: the stable key that keeps `config` unique across stacks. */
  registrationKey: z.string().optional(),
  /** Set by check when the project could be resolved: makes "default" and its id compare equal. */
  projectId: UuidSchema.optional(),
});
export type ServiceInputs = z.infer<typeof ServiceInputsSchema>;

/** What the provider stores as outputs: the inputs plus what ZenML computed. */
export interface ServiceOutputs extends ServiceInputs {
  projectId: string;
  registrationKey: string;
  /** ZenML's record state (copied by ZenML from status.state). */
  state: ServiceState;
  userId?: string;
  created?: string;
  updated?: string;
}

// ---- wire shapes -------------------------------------------------------------------------------

const WireServiceTypeSchema = z.looseObject({
  type: z.string(),
  flavor: z.string(),
  name: z.string().nullish(),
  description: z.string().nullish(),
  logo_url: z.string().nullish(),
});

const ResourceRefSchema = z.looseObject({ id: z.string() }).nullish();

export const WireServiceSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  body: z.looseObject({
    created: z.string().nullish(),
    updated: z.string().nullish(),
    user_id: z.string().nullish(),
    project_id: z.string(),
    service_type: WireServiceTypeSchema,
    labels: z.record(z.string(), z.string()).nullish(),
    state: z.string().nullish(),
  }),
  metadata: z
    .looseObject({
      service_source: z.string().nullish(),
      admin_state: z.string().nullish(),
      config: z.record(z.string(), z.unknown()).nullish(),
      status: z.record(z.string(), z.unknown()).nullish(),
      endpoint: z.record(z.string(), z.unknown()).nullish(),
      prediction_url: z.string().nullish(),
      health_check_url: z.string().nullish(),
    })
    .nullish(),
  resources: z
    .looseObject({
      user: ResourceRefSchema,
      model_version: ResourceRefSchema,
      pipeline_run: ResourceRefSchema,
    })
    .nullish(),
});
export type WireService = z.infer<typeof WireServiceSchema>;

export const WirePageSchema = z.looseObject({
  index: z.number().int(),
  max_size: z.number().int(),
  total_pages: z.number().int(),
  total: z.number().int(),
  items: z.array(WireServiceSchema),
});
export type WirePage = z.infer<typeof WirePageSchema>;

export const WireProjectSchema = z.looseObject({ id: z.string(), name: z.string() });

export const WireLoginSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.number().nullish(),
});

/** Filters of GET /api/v1/services, camelCase; values use ZenML's operator syntax (`contains:foo`). */
export const ServiceFilterSchema = z.strictObject({
  name: z.string().optional(),
  type: z.string().optional(),
  flavor: z.string().optional(),
  project: z.string().optional(),
  modelVersionId: z.string().optional(),
  pipelineRunId: z.string().optional(),
  sortBy: z.string().optional(),
  logicalOperator: z.enum(["and", "or"], { error: "must be 'and' or 'or'" }).optional(),
  /** Page size used while fetching every page (ZenML's default is 20, its maximum 10000). */
  pageSize: z.number().int().min(1).max(10000).optional(),
  /** Include metadata (config, status, URLs) of every record; defaults to true. */
  hydrate: z.boolean().optional(),
});
export type ServiceFilter = z.infer<typeof ServiceFilterSchema>;
