// Local files a job ships (working dir, py_modules, a requirements file, a containerfile): validated
// and fingerprinted at check, with no network. The service's helpers cover exactly these top-level
// fields, so they are reused with an empty application list rather than re-implemented.
import type { CheckFailure } from "../core/dynamic-support";
import { computeSourceHash, localPathProblems } from "../service/local-sources";
import type { ServiceInputs } from "../service/schema";

type JobLocalFields = Pick<ServiceInputs, "workingDir" | "excludes" | "pyModules" | "requirements" | "containerfile">;

function asServiceShape(inputs: Record<string, unknown>): ServiceInputs {
  const fields: JobLocalFields = {
    workingDir: inputs.workingDir as string | undefined,
    excludes: inputs.excludes as string[] | undefined,
    pyModules: inputs.pyModules as string[] | undefined,
    requirements: inputs.requirements as string | string[] | undefined,
    containerfile: inputs.containerfile as string | undefined,
  };
  return { ...fields, applications: [] } as unknown as ServiceInputs;
}

export function localPathFailures(inputs: Record<string, unknown>): CheckFailure[] {
  return localPathProblems(asServiceShape(inputs));
}

export function localSourceHash(inputs: Record<string, unknown>): string | undefined {
  return computeSourceHash(asServiceShape(inputs));
}
