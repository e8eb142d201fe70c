import { z } from "zod";

// Request bodies of the services-v2 endpoints, as the SDK's ApplyProductionServiceV2Model and friends
// define them. Unknown fields are ignored (like the platform's pydantic models); known ones are checked.

const percent = z.number().int().min(0).max(100);

const Application = z
  .object({
    name: z.string().min(1).optional(),
    route_prefix: z.string().nullish(),
    import_path: z.string().min(1),
  })
  .passthrough();

export const RayServeConfigSchema = z
  .object({
    applications: z.array(Application).min(1),
  })
  .passthrough();

export const ServiceLevelConfigSchema = z
  .object({
    max_uptime_timeout_sec: z.number().int().nullish(),
    access: z.object({ use_bearer_token: z.boolean().nullish() }).passthrough().nullish(),
    protocols: z
      .object({
        http: z.object({ enabled: z.boolean().nullish(), port: z.number().int().nullish() }).passthrough().nullish(),
        grpc: z
          .object({
            enabled: z.boolean().nullish(),
            port: z.number().int().min(1).max(65535).nullish(),
            service_names: z.array(z.string()).nullish(),
          })
          .passthrough()
          .nullish(),
      })
      .passthrough()
      .nullish(),
    env_vars: z.record(z.string(), z.string()).nullish(),
    traffic_policy: z.unknown().optional(),
  })
  .passthrough();

export const RolloutStrategySchema = z.enum(["ROLLOUT", "IN_PLACE", "MULTI_VERSION"]);

export const ApplyServiceSchema = z.object({
  name: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[^\s/]+$/, "must not contain whitespace or '/'"),
  description: z.string().nullish(),
  project_id: z.string().min(1).nullish(),
  version: z.string().min(1).max(128).nullish(),
  canary_percent: percent.nullish(),
  ray_serve_config: RayServeConfigSchema,
  build_id: z.string().min(1),
  compute_config_id: z.string().min(1),
  config: ServiceLevelConfigSchema.nullish(),
  rollout_strategy: RolloutStrategySchema.nullish(),
  ray_gcs_external_storage_config: z
    .object({ enable: z.boolean().nullish(), address: z.string().nullish(), redis_certificate_path: z.string().nullish() })
    .passthrough()
    .nullish(),
  tracing_config: z
    .object({ enabled: z.boolean().nullish(), exporter_import_path: z.string().nullish(), sampling_ratio: z.number().min(0).max(1).nullish() })
    .passthrough()
    .nullish(),
  auto_complete_rollout: z.boolean().nullish(),
  max_surge_percent: percent.nullish(),
  tags: z.record(z.string().min(1), z.string()).nullish(),
  traffic_percent: percent.nullish(),
  connection_ids: z.array(z.string()).nullish(),
});
export type ApplyServiceRequest = z.infer<typeof ApplyServiceSchema>;

export const RollbackSchema = z.object({ max_surge_percent: percent.nullish() }).passthrough();

export const SERVICE_STATES = [
  "RUNNING",
  "UNHEALTHY",
  "SYSTEM_FAILURE",
  "USER_ERROR_FAILURE",
  "STARTING",
  "TERMINATING",
  "TERMINATED",
  "UPDATING",
  "ROLLING_OUT",
  "ROLLING_BACK",
] as const;
export type ServiceState = (typeof SERVICE_STATES)[number];

export const VERSION_STATES = ["UNKNOWN", "STARTING", "UPDATING", "RUNNING", "UNHEALTHY", "SYSTEM_FAILURE", "TERMINATING", "TERMINATED"] as const;
export type VersionState = (typeof VERSION_STATES)[number];

const countParam = z.coerce.number().int().min(1).max(50);

/** GET /api/v2/services-v2/ query. Repeated keys (state_filter, tag_filter) arrive as arrays. */
export const ListServicesQuerySchema = z.object({
  name: z.string().optional(),
  project_id: z.string().optional(),
  cloud_id: z.string().optional(),
  creator_id: z.string().optional(),
  state_filter: z.array(z.enum(SERVICE_STATES)).default([]),
  tag_filter: z.array(z.string()).default([]),
  archive_status: z.enum(["ARCHIVED", "NOT_ARCHIVED", "ALL"]).default("NOT_ARCHIVED"),
  sort_field: z.enum(["STATUS", "NAME", "CREATED_AT", "LAST_DEPLOYED_AT"]).optional(),
  sort_order: z.enum(["ASC", "DESC"]).optional(),
  count: countParam.default(20),
  paging_token: z.string().optional(),
});

export const ListVersionsQuerySchema = z.object({
  state_filter: z.array(z.enum(VERSION_STATES)).default([]),
  count: countParam.default(20),
  paging_token: z.string().optional(),
  sort_field: z.string().optional(),
  sort_order: z.enum(["ASC", "DESC"]).optional(),
});

export const NextVersionFaultSchema = z.object({ mode: z.enum(["fail_start", "unhealthy", "stuck"]) });
export type NextVersionFault = z.infer<typeof NextVersionFaultSchema>["mode"];
