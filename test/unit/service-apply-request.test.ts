import { buildApplyRequest, buildRayServeConfig, rewriteApplications } from "../../provider/service/apply-request";
import type { ServiceInputs } from "../../provider/service/schema";

const ids = { projectId: "prj_1", cloudId: "cld_1", computeConfigId: "cpt_1", buildId: "bld_1" };

describe("apply request", () => {
  it("folds top-level runtime settings into every application, as the SDK does", () => {
    const inputs: ServiceInputs = {
      name: "svc",
      applications: [
        { name: "a", import_path: "a:app", runtime_env: { env_vars: { A: "app", SHARED: "app" }, py_modules: ["s3://b/m.zip"] } },
        { name: "b", import_path: "b:app" },
      ],
      workingDir: "./src",
      excludes: [".env"],
      pyModules: ["./mods"],
      requirements: ["emoji==1.2.0"],
      envVars: { SHARED: "top" },
      pyExecutable: "python -X dev",
    };
    const apps = rewriteApplications(inputs, { "./src": "s3://bucket/pkg_1.zip", "./mods": "s3://bucket/pkg_2.zip" }, ["emoji==1.2.0"]);
    expect(apps[0].runtime_env).toEqual({
      working_dir: "s3://bucket/pkg_1.zip",
      user_provided_working_dir: "./src",
      excludes: [".env"],
      py_modules: ["s3://b/m.zip", "s3://bucket/pkg_2.zip"],
      user_provided_py_modules: ["s3://b/m.zip", "./mods"],
      pip: ["emoji==1.2.0"],
      env_vars: { A: "app", SHARED: "top" },
      py_executable: "python -X dev",
    });
    expect(apps[1].runtime_env).toMatchObject({ working_dir: "s3://bucket/pkg_1.zip", env_vars: { SHARED: "top" } });
    // The inputs themselves are not mutated.
    expect(inputs.applications[0].runtime_env).toEqual({ env_vars: { A: "app", SHARED: "app" }, py_modules: ["s3://b/m.zip"] });
  });

  it("leaves applications without runtime changes untouched", () => {
    const inputs: ServiceInputs = { name: "svc", applications: [{ import_path: "main:app" }] };
    expect(rewriteApplications(inputs, {}, undefined)).toEqual([{ import_path: "main:app" }]);
  });

  it("builds the ApplyProductionServiceV2Model body", () => {
    const inputs: ServiceInputs = {
      name: "svc",
      applications: [{ import_path: "main:app" }],
      versionName: "v7",
      queryAuthTokenEnabled: false,
      grpcOptions: { port: 50051, service_names: ["a.B"] },
      httpOptions: { request_timeout_s: 60 },
      rayGcsExternalStorageConfig: { enabled: true, certificatePath: "/etc/cert" },
      tracingConfig: { enabled: true, samplingRatio: 0.5 },
      tags: { team: "x" },
      envVars: { K: "V" },
    };
    const config = buildRayServeConfig(inputs, inputs.applications);
    const body = buildApplyRequest("svc", inputs, config, { ...ids, connectionIds: ["conn_1"] }, { rolloutStrategy: "ROLLOUT", canaryPercent: 10, maxSurgePercent: 50 });
    expect(JSON.parse(JSON.stringify(body))).toEqual({
      name: "svc",
      project_id: "prj_1",
      version: "v7",
      ray_serve_config: { applications: [{ import_path: "main:app" }], http_options: { request_timeout_s: 60 }, grpc_options: { port: 50051, service_names: ["a.B"] } },
      build_id: "bld_1",
      compute_config_id: "cpt_1",
      rollout_strategy: "ROLLOUT",
      canary_percent: 10,
      max_surge_percent: 50,
      auto_complete_rollout: true,
      config: { max_uptime_timeout_sec: 0, access: { use_bearer_token: false }, protocols: { grpc: { enabled: true, port: 9000, service_names: ["a.B"] } }, env_vars: { K: "V" } },
      ray_gcs_external_storage_config: { enable: true, redis_certificate_path: "/etc/cert" },
      tracing_config: { enabled: true, sampling_ratio: 0.5 },
      tags: { team: "x" },
      connection_ids: ["conn_1"],
    });
  });

  it("sends no canary or surge with IN_PLACE", () => {
    const inputs: ServiceInputs = { name: "svc", applications: [{ import_path: "main:app" }] };
    const body = buildApplyRequest("svc", inputs, { applications: inputs.applications }, ids, { rolloutStrategy: "IN_PLACE", canaryPercent: 10, maxSurgePercent: 5 });
    expect(body.canary_percent).toBeUndefined();
    expect(body.max_surge_percent).toBeUndefined();
    expect(body.rollout_strategy).toBe("IN_PLACE");
  });
});
