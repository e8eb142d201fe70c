// Job.fromYaml: the official job YAML, unchanged, becomes Job args that pass check.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { jobArgsFromYaml } from "../../sdk/job-yaml";
import * as jobProvider from "../../provider/job/dynamic";

function writeProject(yamlText: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "job-yaml-"));
  fs.mkdirSync(path.join(dir, "src"));
  fs.writeFileSync(path.join(dir, "src", "main.py"), "print('hi')\n");
  fs.mkdirSync(path.join(dir, "my_module"));
  fs.writeFileSync(path.join(dir, "my_module", "__init__.py"), "");
  const file = path.join(dir, "job.yaml");
  fs.writeFileSync(file, yamlText);
  return file;
}

const OFFICIAL_EXAMPLE = `
name: my-job
entrypoint: python main.py
image_uri: anyscale/image/my-image:1
compute_config: my-compute-config:1
working_dir: src
excludes:
    - .git
    - __pycache__
requirements:
    - emoji==1.2.0
    - numpy==1.19.5
env_vars:
    MY_ENV_VAR: my_value
    WORKERS: 4
py_modules:
    - my_module
    - s3://my_bucket/my_module
cloud: anyscale-prod
project: my-project
max_retries: 3
timeout_s: 600
tags:
    team: mlops
    purpose: training
connections:
    - type: databricks
      name: my-databricks-connection
job_queue_config:
    priority: 100
    job_queue_spec:
        name: my-job-queue
        execution_mode: PRIORITY
        compute_config: my-compute-config:1
        idle_timeout_s: 3600
`;

describe("jobArgsFromYaml", () => {
  it("maps every JobConfig field of the official format", () => {
    const file = writeProject(OFFICIAL_EXAMPLE);
    const args = jobArgsFromYaml(file);
    const relative = (p: string) => path.relative(process.cwd(), path.join(path.dirname(file), p));
    expect(args).toEqual({
      name: "my-job",
      entrypoint: "python main.py",
      imageUri: "anyscale/image/my-image:1",
      computeConfig: "my-compute-config:1",
      workingDir: relative("src"),
      excludes: [".git", "__pycache__"],
      requirements: ["emoji==1.2.0", "numpy==1.19.5"],
      envVars: { MY_ENV_VAR: "my_value", WORKERS: "4" },
      pyModules: [relative("my_module"), "s3://my_bucket/my_module"],
      cloud: "anyscale-prod",
      project: "my-project",
      maxRetries: 3,
      timeoutS: 600,
      tags: { team: "mlops", purpose: "training" },
      connections: [{ type: "databricks", name: "my-databricks-connection" }],
      jobQueue: {
        priority: 100,
        jobQueueSpec: { name: "my-job-queue", executionMode: "PRIORITY", computeConfig: "my-compute-config:1", idleTimeoutS: 3600 },
      },
    });
  });

  it("produces inputs that pass check", async () => {
    const args = jobArgsFromYaml(writeProject(OFFICIAL_EXAMPLE));
    const result = await jobProvider.check({}, { ...args, submissionScope: "p/s/yaml-job" });
    expect(result.failures).toBeUndefined();
    expect(result.inputs).toMatchObject({ name: "my-job", sourceHash: expect.any(String) });
  });

  it("targets an existing queue by name", () => {
    const args = jobArgsFromYaml(writeProject("entrypoint: python x.py\njob_queue_config:\n  priority: 2\n  target_job_queue_name: my-new-queue\n"));
    expect(args.jobQueue).toEqual({ priority: 2, targetJobQueueName: "my-new-queue" });
  });

  it("names an unknown key, top-level or nested", () => {
    expect(() => jobArgsFromYaml(writeProject("entrypoint: x\nmax_retry: 3\n"))).toThrow(/unknown JobConfig field 'max_retry'/);
    expect(() => jobArgsFromYaml(writeProject("entrypoint: x\njob_queue_config:\n  job_queue_spec:\n    idle_timeout: 3\n"))).toThrow(
      /unknown field 'job_queue_config.job_queue_spec.idle_timeout'/,
    );
  });
});
