// The runtime environment fields Services and Jobs share (the SDK's working_dir, excludes,
// requirements, env_vars, py_modules, py_executable), as the resources' camelCase inputs.

export const RUNTIME_ENV_FIELDS = ["workingDir", "excludes", "requirements", "envVars", "pyModules", "pyExecutable"] as const;
