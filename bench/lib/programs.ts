// Pulumi programs the benchmarks run, generated as plain JavaScript (no ts-node in the timings, the
// same for the baseline and for pulumi-anyscale).

const PULUMI_YAML = (name: string) => `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n`;

export type ProgramFiles = Record<string, string>;

const SERVICE_ARGS = (i: number, prefix: string, workingDir?: string) =>
  `{ name: "${prefix}-svc-${i}", imageUri: "anyscale/ray:2.48.0-py311", ${workingDir ? `workingDir: ${JSON.stringify(workingDir)}, ` : ""}applications: [{ name: "app", import_path: "main:app", route_prefix: "/" }] }`;
const JOB_ARGS = (i: number, prefix: string) => `{ name: "${prefix}-job-${i}", entrypoint: "echo done", waitFor: "submitted" }`;

/** `services` Services and `jobs` Jobs of pulumi-anyscale. */
export function anyscaleProgram(name: string, counts: { services: number; jobs: number }, options: { workingDir?: string } = {}): ProgramFiles {
  const lines = ['const anyscale = require("pulumi-anyscale");'];
  for (let i = 0; i < counts.services; i++) lines.push(`new anyscale.Service("svc-${i}", ${SERVICE_ARGS(i, name, options.workingDir)});`);
  for (let i = 0; i < counts.jobs; i++) lines.push(`new anyscale.Job("job-${i}", ${JOB_ARGS(i, name)});`);
  return { "Pulumi.yaml": PULUMI_YAML(name), "index.js": lines.join("\n") + "\n" };
}

/** The baseline: the same engine with `count` dynamic resources whose provider does nothing. */
export function noopProgram(name: string, count: number): ProgramFiles {
  const program = `const pulumi = require("@pulumi/pulumi");
const noopProvider = {
  async create(inputs) { return { id: "noop-" + inputs.index, outs: inputs }; },
  async diff() { return { changes: false }; },
  async read(id, props) { return { id, props }; },
};
class Noop extends pulumi.dynamic.Resource {
  constructor(name, args) { super(noopProvider, name, args, {}); }
}
for (let i = 0; i < ${count}; i++) new Noop("noop-" + i, { index: i });
`;
  return { "Pulumi.yaml": PULUMI_YAML(name), "index.js": program };
}

/**
 * The naive way to write the same provider: its code lives in the program directory (not under
 * node_modules), so Pulumi's closure serializer inlines it into every resource's state. The code
 * is pulumi-anyscale's own compiled provider, copied into the project by the benchmark.
 */
export function naiveInlineProgram(name: string): ProgramFiles {
  const program = `const pulumi = require("@pulumi/pulumi");
const inlinedProvider = require("./inlined/provider/service/dynamic");
new pulumi.dynamic.Resource(inlinedProvider, "naive-svc", ${SERVICE_ARGS(0, name)}, {});
`;
  return { "Pulumi.yaml": PULUMI_YAML(name), "index.js": program };
}

/**
 * A hand-written naive provider, as users write one inside their program: the code (and the helpers
 * it captures) is serialized by value into each resource's state.
 */
export function handWrittenInlineProgram(name: string): ProgramFiles {
  const program = `const pulumi = require("@pulumi/pulumi");
const host = new pulumi.Config("anyscale").require("host");
async function call(method, path, body) {
  const token = process.env.BENCH_NAIVE_TOKEN;
  const res = await fetch(host + path, { method, headers: { "content-type": "application/json", authorization: "Bearer " + token }, body: body && JSON.stringify(body) });
  const text = await res.text();
  if (res.status >= 400) throw new Error(method + " " + path + " failed: " + res.status + " " + text);
  return text ? JSON.parse(text) : undefined;
}
async function defaults() {
  const cloud = (await call("GET", "/ext/v0/clouds/default")).result;
  const project = (await call("GET", "/ext/v0/projects/default_project?parent_cloud_id=" + cloud.id)).result;
  const compute = (await call("GET", "/ext/v0/cluster_computes/default?cloud_id=" + cloud.id)).result;
  const build = (await call("POST", "/api/v2/builds/get_or_create_build_from_image_uri", { image_uri: "anyscale/ray:2.48.0-py311", ray_version: "2.48.0" })).result;
  return { projectId: project.id, computeConfigId: compute.id, buildId: (build.build || build).id };
}
async function waitRunning(id) {
  for (;;) {
    const service = (await call("GET", "/api/v2/services-v2/" + id)).result;
    if (service.current_state === "RUNNING") return service;
    if (/FAIL|UNHEALTHY/.test(service.current_state)) throw new Error("service " + id + " is " + service.current_state);
    await new Promise((r) => setTimeout(r, 1000));
  }
}
const naiveProvider = {
  async create(inputs) {
    const d = await defaults();
    const applied = (await call("PUT", "/api/v2/services-v2/apply", { name: inputs.name, project_id: d.projectId, build_id: d.buildId, compute_config_id: d.computeConfigId, ray_serve_config: { applications: inputs.applications } })).result;
    const service = await waitRunning(applied.id);
    return { id: applied.id, outs: { ...inputs, state: service.current_state, queryUrl: service.base_url } };
  },
  async diff(id, olds, news) { return { changes: JSON.stringify(olds.applications) !== JSON.stringify(news.applications) }; },
  async delete(id) { await call("POST", "/api/v2/services-v2/" + id + "/terminate"); },
};
new pulumi.dynamic.Resource(naiveProvider, "naive-svc", ${SERVICE_ARGS(0, name)}, {});
`;
  return { "Pulumi.yaml": PULUMI_YAML(name), "index.js": program };
}

/**
 * The same Services as anyscaleProgram, served by the native plugin instead of the dynamic host: the
 * same Node.js program runtime, resources registered by type token, the plugin found through
 * Pulumi.yaml `plugins: providers`.
 */
export function nativePluginProgram(name: string, services: number, pluginDir: string): ProgramFiles {
  const lines = ['const pulumi = require("@pulumi/pulumi");'];
  for (let i = 0; i < services; i++) lines.push(`new pulumi.CustomResource("anyscale:index:Service", "svc-${i}", ${SERVICE_ARGS(i, name)});`);
  const plugins = `plugins:\n  providers:\n    - name: anyscale\n      path: ${JSON.stringify(pluginDir)}\n`;
  return { "Pulumi.yaml": PULUMI_YAML(name) + plugins, "index.js": lines.join("\n") + "\n" };
}

/**
 * The same Services as a Pulumi YAML program served by the native plugin (what a user of the package
 * from YAML runs; the closest peer of an HCL configuration). `services: 0` is the YAML baseline: the
 * same engine, language host and plugin discovery with nothing to do.
 */
export function yamlPluginProgram(name: string, services: number, pluginDir: string): ProgramFiles {
  const resources: string[] = [];
  for (let i = 0; i < services; i++) {
    resources.push(
      `  svc-${i}:\n    type: anyscale:Service\n    properties:\n      name: ${name}-svc-${i}\n      imageUri: anyscale/ray:2.48.0-py311\n      applications:\n        - name: app\n          import_path: main:app\n          route_prefix: /\n`,
    );
  }
  const plugins = `plugins:\n  providers:\n    - name: anyscale\n      path: ${JSON.stringify(pluginDir)}\n`;
  const body = resources.length ? `resources:\n${resources.join("")}` : "outputs:\n  nothing: none\n";
  return { "Pulumi.yaml": `name: ${name}\nruntime: yaml\n${plugins}${body}` };
}
