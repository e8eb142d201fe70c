import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { packageWorkspace, pulumiEngineBinDir, PulumiProject, type ProjectOptions } from "./pulumi";

// Pulumi YAML programs that use the native plugin `pulumi-resource-anyscale` from the installed (packed)
// package, found offline through Pulumi.yaml `plugins: providers: [{ name: anyscale, path }]`.

/** The directory holding the plugin executable inside the installed package. */
export async function nativePluginDir(): Promise<string> {
  const workspace = await packageWorkspace();
  return path.join(workspace.root, "node_modules", "pulumi-anyscale", "bin");
}

/** The YAML language host ships next to `pulumi` (scripts/setup-pulumi.sh) or on PATH. */
export async function yamlLanguageHostAvailable(): Promise<boolean> {
  const binDir = await pulumiEngineBinDir();
  if (fs.existsSync(path.join(binDir, "pulumi-language-yaml"))) return true;
  return (process.env.PATH ?? "").split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, "pulumi-language-yaml")));
}

export interface YamlProgram {
  resources: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  variables?: Record<string, unknown>;
}

export async function yamlProgramText(name: string, program: YamlProgram): Promise<string> {
  return stringify({
    name,
    runtime: "yaml",
    plugins: { providers: [{ name: "anyscale", path: await nativePluginDir() }] },
    ...(program.variables ? { variables: program.variables } : {}),
    resources: program.resources,
    ...(program.outputs ? { outputs: program.outputs } : {}),
  });
}

export async function yamlProject(name: string, program: YamlProgram, options: ProjectOptions = {}): Promise<PulumiProject> {
  return PulumiProject.fromFiles(name, { "Pulumi.yaml": await yamlProgramText(name, program) }, options);
}

/** Replaces the program of an existing project (same stack, same state). */
export async function rewriteYamlProgram(project: PulumiProject, name: string, program: YamlProgram): Promise<void> {
  fs.writeFileSync(path.join(project.dir, "Pulumi.yaml"), await yamlProgramText(name, program));
}
