import * as fs from "node:fs";
import * as path from "node:path";
import { packageWorkspace, PulumiProject, type ProjectOptions } from "./pulumi";
import { linkVenv, pythonSdk } from "./python-sdk";

// Examples in other languages than TypeScript, set up as their README says: `npm install` puts the
// plugin at node_modules/pulumi-anyscale/bin (the path their Pulumi.yaml names), and a Python
// example's `venv` holds `pulumi` and the generated SDK (scripts/gen-python-sdk.sh).

/** examples/<name> in the e2e workspace, with node_modules (and venv for Python) where Pulumi.yaml expects them. */
export async function pluginExample(example: string, options: ProjectOptions = {}): Promise<PulumiProject> {
  const workspace = await packageWorkspace();
  const project = await PulumiProject.fromExample(example, options);
  // The workspace's installed (packed) copy of the package: what `npm install` gives a user.
  fs.symlinkSync(path.join(workspace.root, "node_modules"), path.join(project.dir, "node_modules"));
  if (/^runtime:\s*\n\s+name:\s*python/m.test(project.readFile("Pulumi.yaml"))) linkVenv(project, await pythonSdk());
  return project;
}
