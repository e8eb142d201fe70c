// The declared shape of a workload's config as a verbose read returns it (ServiceVersionStatus.config,
// JobStatus.config): the source of both the TypeScript types and the package schema's function
// results. What the user wrote free-form (Serve applications, HTTP/gRPC/logging options, an anonymous
// compute config's definition) stays an open map; everything else is typed.
import { z } from "zod";

const openMap = (description: string) => z.record(z.string(), z.unknown()).meta({ description });

export const connectionRefSchema = z.strictObject({
  type: z.string().meta({ description: "The connection's type, e.g. databricks." }),
  name: z.string().meta({ description: "The connection's name." }),
}).meta({ id: "ConnectionRef" });

const computeConfigRefSchema = z
  .union([z.string(), z.record(z.string(), z.unknown())])
  .meta({ description: "`name:version` of a registered compute config, or the definition (the SDK's ComputeConfig, snake_case) of an anonymous one." });

const connectionsSchema = z.array(connectionRefSchema).meta({ description: "Connections attached to the workload, by type and name." });

export const serviceVersionConfigSchema = z.strictObject({
  name: z.string().meta({ description: "The service's name." }),
  versionName: z.string().optional().meta({ description: "The version's name." }),
  applications: z.array(openMap("One Ray Serve application, as the user declared it.")).meta({ description: "The Ray Serve applications." }),
  imageUri: z.string().optional().meta({ description: "The image the version runs." }),
  registryLoginSecret: z.string().optional().meta({ description: "Name of the secret used to pull a private image." }),
  computeConfig: computeConfigRefSchema.optional(),
  cloud: z.string().optional().meta({ description: "The cloud's name." }),
  project: z.string().optional().meta({ description: "The project's name." }),
  connections: connectionsSchema.optional(),
  queryAuthTokenEnabled: z.boolean().meta({ description: "Whether queries need the service's bearer token." }),
  httpOptions: openMap("Ray Serve HTTP options (free-form).").optional(),
  grpcOptions: openMap("Ray Serve gRPC options (free-form).").optional(),
  loggingConfig: openMap("Ray Serve logging config (free-form).").optional(),
  rayGcsExternalStorageConfig: z
    .strictObject({
      enabled: z.boolean().meta({ description: "Whether the GCS uses external storage." }),
      address: z.string().optional().meta({ description: "Address of the external Redis." }),
      certificatePath: z.string().optional().meta({ description: "Path of the Redis certificate." }),
    })
    .optional()
    .meta({ description: "The Ray GCS external storage (Redis) of the version." }),
  tracingConfig: z
    .strictObject({
      enabled: z.boolean().meta({ description: "Whether tracing is on." }),
      exporterImportPath: z.string().optional().meta({ description: "Import path of the tracing exporter." }),
      samplingRatio: z.number().optional().meta({ description: "Share of requests traced, 0-1." }),
    })
    .optional()
    .meta({ description: "The version's tracing config." }),
}).meta({ id: "ServiceVersionConfig" });
export type ServiceVersionConfig = z.infer<typeof serviceVersionConfigSchema>;

export const jobConfigSchema = z.strictObject({
  name: z.string().meta({ description: "The job's name." }),
  entrypoint: z.string().optional().meta({ description: "The command the job runs." }),
  imageUri: z.string().optional().meta({ description: "The image the job runs (its alias for a built image)." }),
  computeConfig: computeConfigRefSchema.optional(),
  requirements: z.array(z.string()).optional().meta({ description: "The pip requirements the job was submitted with (a requirements file arrives as its lines)." }),
  workingDir: z.string().optional().meta({ description: "Where the working directory was uploaded (the uploaded URI)." }),
  envVars: z.record(z.string(), z.string()).optional().meta({ description: "Environment variables of the job (values included: the result is secret)." }),
  pyModules: z.array(z.string()).optional().meta({ description: "Python modules shipped with the job." }),
  pyExecutable: z.string().optional().meta({ description: "The Python executable the job runs with." }),
  excludes: z.array(z.string()).optional().meta({ description: "Paths left out of the uploaded working directory." }),
  cloud: z.string().optional().meta({ description: "The cloud's name." }),
  project: z.string().optional().meta({ description: "The project's name." }),
  connections: connectionsSchema.optional(),
  maxRetries: z.number().optional().meta({ description: "Retries allowed after a failed run (absent when unlimited or unknown)." }),
  timeoutS: z.number().optional().meta({ description: "Timeout of one run, in seconds." }),
  priority: z.number().optional().meta({ description: "The job's priority in its queue." }),
}).meta({ id: "JobStatusConfig" });
export type JobConfig = z.infer<typeof jobConfigSchema>;
