// Public surface of pulumi-anyscale: `import * as anyscale from "pulumi-anyscale"`.
import { quietRpcResponseLogs } from "./quiet-rpc-logs";

// Before any resource registers: the SDK's debug lines must not carry output values (secrets) to the event log.
quietRpcResponseLogs();
export { Service } from "./service";
export type {
  ServiceArgs,
  ServeApplication,
  RolloutArgs,
  RayGcsExternalStorageConfigArgs,
  TracingConfigArgs,
  ConnectionArgs,
  ServiceVersionInfo,
  RolloutStepArgs,
  HealthCheckArgs,
  GoldenRequestArgs,
  RolloutStatusInfo,
  RolloutGateInfo,
} from "./service";
export { Job } from "./job";
export type { JobArgs, JobState, JobRunState, JobRun, JobQueueSpecArgs, JobQueueTargetArgs } from "./job";
export { JobQueue } from "./job-queue";
export type { JobQueueArgs, JobQueueExecutionMode } from "./job-queue";
export { ComputeConfig } from "./compute-config";
export type { ComputeConfigArgs, ComputeConfigSpecArgs, NodeConfigArgs, WorkerNodeGroupArgs } from "./compute-config";
export { ContainerImage } from "./container-image";
export type { ContainerImageArgs } from "./container-image";
export { timeoutsFromOptions, programAnyscaleClient, programConfigSource } from "./common";
export type { TimeoutsArgs } from "./common";
export { YamlConfigError } from "./yaml";
export * from "./functions";
export * as zenml from "./zenml";
