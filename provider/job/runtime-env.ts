// The job's runtime_env, as the SDK builds it: local working_dir and py_modules are zipped and
// uploaded (remote URIs pass through), a requirements file becomes the `pip` list, env vars and the
// py executable are copied. Reads local files and uploads, so it lives apart from the pure body builder.
import type { AnyscaleClient } from "../anyscale/client";
import { uploadDirectory } from "../anyscale/upload";
import { readRequirements } from "../workload/local-sources";
import type { RuntimeEnv } from "./request-body";
import type { JobInputs } from "./schema";

export async function buildRuntimeEnv(client: AnyscaleClient, cloudId: string, inputs: JobInputs): Promise<RuntimeEnv | undefined> {
  const runtimeEnv: RuntimeEnv = {
    working_dir: inputs.workingDir ? await uploadDirectory(client, cloudId, inputs.workingDir, inputs.excludes ?? []) : undefined,
    user_provided_working_dir: inputs.workingDir,
    py_modules: inputs.pyModules ? await Promise.all(inputs.pyModules.map((module) => uploadDirectory(client, cloudId, module, inputs.excludes ?? []))) : undefined,
    user_provided_py_modules: inputs.pyModules,
    // Sent as given, as the SDK does (it also applies them to the uploads above).
    excludes: inputs.excludes,
    pip: readRequirements(inputs.requirements),
    env_vars: inputs.envVars,
    py_executable: inputs.pyExecutable,
  };
  return Object.values(runtimeEnv).some((value) => value !== undefined) ? runtimeEnv : undefined;
}
