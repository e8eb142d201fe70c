// The entry point of the single-executable plugin (scripts/build-plugin.sh bundles from here). Inside
// the executable there is no package directory to read, so the version and the package schema (whose
// descriptions come from docs/resources/*.md) were computed at build time and travel as SEA assets.
import * as sea from "node:sea";
import { main, type Embedded } from "./main";

function embedded(): Embedded | undefined {
  if (!sea.isSea()) return undefined;
  return { version: sea.getAsset("version", "utf8").trim(), schemaText: sea.getAsset("schema.json", "utf8") };
}

main(process.argv.slice(2), embedded()).catch((error) => {
  console.error(`pulumi-resource-anyscale: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
