// JobStatus.config for verbose job reads: the job's stored config with its ids read back as names
// (image, compute config, cloud, project, connections), as the SDK's job status builds it.
import type { Lookups } from "./catalog-reads";
import type { JobDetailsModel } from "./job-results";
import { jobConfig, type JobConfig } from "./workload-config";

export async function readJobConfig(lookups: Lookups, job: JobDetailsModel): Promise<JobConfig> {
  const config = job.config ?? {};
  const [image, compute, connections, project] = await Promise.all([
    // Job status asks for the image alias (anyscale/image/<name>:<revision>) of non-default builds.
    lookups.image(config.build_id, true),
    lookups.computeConfig(config.compute_config_id),
    lookups.connections(config.connection_ids),
    job.project?.name ? Promise.resolve(job.project.name) : lookups.projectName(job.project_id),
  ]);
  return jobConfig(job.name, config, { imageUri: image.imageUri, ...compute, connections, project });
}
