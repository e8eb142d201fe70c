// Writes docs/api/*.md from a package schema (the JSON `pulumi package get-schema` prints): one page per
// resource and per function, and an index. Run by scripts/gen-api-docs.sh; nothing here is written by hand
// per resource, so the reference cannot drift from the schema.
const fs = require("node:fs");
const path = require("node:path");

const [schemaFile, outDir] = process.argv.slice(2);
const schema = JSON.parse(fs.readFileSync(schemaFile, "utf8"));

function typeName(spec) {
  if (!spec) return "any";
  if (spec.$ref) {
    const ref = decodeURIComponent(spec.$ref.replace(/^#\/types\//, ""));
    if (ref.startsWith("pulumi.json#/")) return ref.slice("pulumi.json#/".length);
    return `[${ref.split(":").pop()}](types.md#${anchor(ref)})`;
  }
  if (spec.type === "array") return `${typeName(spec.items)}[]`;
  if (spec.type === "object" && spec.additionalProperties) return `map of ${typeName(spec.additionalProperties)}`;
  if (spec.oneOf) return spec.oneOf.map(typeName).join(" \\| ");
  return spec.type ?? "any";
}

const anchor = (token) => token.toLowerCase().replace(/[^a-z0-9]+/g, "-");
const cell = (text) => (text ?? "").replace(/\|/g, "\\|").replace(/\n+/g, " ");

function propertyTable(properties = {}, required = [], extra = () => "") {
  const rows = Object.entries(properties).sort(([a], [b]) => a.localeCompare(b));
  if (rows.length === 0) return "_none_\n";
  const lines = ["| name | type | required | description |", "|---|---|---|---|"];
  for (const [name, spec] of rows) {
    lines.push(`| \`${name}\` | ${typeName(spec)} | ${required.includes(name) ? "yes" : ""} | ${cell([spec.secret ? "**secret**." : "", extra(name), spec.description].filter(Boolean).join(" "))} |`);
  }
  return `${lines.join("\n")}\n`;
}

const header = (title) => `<!-- Generated from the package schema by scripts/gen-api-docs.sh; do not edit. -->\n# ${title}\n\n`;
const pages = [];
fs.rmSync(outDir, { recursive: true, force: true });
fs.mkdirSync(outDir, { recursive: true });

for (const [token, resource] of Object.entries(schema.resources ?? {})) {
  const file = `${token.split(":").slice(1).join("-").replace(/^index-/, "").toLowerCase()}.md`;
  const inputs = resource.inputProperties ?? {};
  const outputsOnly = Object.fromEntries(Object.entries(resource.properties ?? {}).filter(([name]) => !(name in inputs)));
  pages.push({ kind: "resource", token, file });
  fs.writeFileSync(
    path.join(outDir, file),
    header(`${token} (resource)`) +
      `${resource.description ?? ""}\n\nYAML: \`type: ${token.replace(":index:", ":")}\`.\n\n## Inputs\n\n${propertyTable(inputs, resource.requiredInputs)}\n## Outputs\n\nEvery input is also an output. In addition:\n\n${propertyTable(outputsOnly)}`,
  );
}

const functions = Object.entries(schema.functions ?? {});
if (functions.length > 0) {
  let text = header("Functions");
  for (const [token, fn] of functions) {
    text += `## ${token}\n\n${fn.description ?? ""}\n\n### Arguments\n\n${propertyTable(fn.inputs?.properties, fn.inputs?.required)}\n### Result\n\n${propertyTable(fn.outputs?.properties)}\n`;
  }
  fs.writeFileSync(path.join(outDir, "functions.md"), text);
  pages.push({ kind: "functions", token: "functions", file: "functions.md" });
}

let types = header("Types");
for (const [token, type] of Object.entries(schema.types ?? {})) {
  types += `<a id="${anchor(token)}"></a>\n## ${token}\n\n${type.description ?? ""}\n\n${type.enum ? `One of: ${type.enum.map((e) => `\`${JSON.stringify(e.value)}\``).join(", ")}\n` : propertyTable(type.properties, type.required)}\n`;
}
fs.writeFileSync(path.join(outDir, "types.md"), types);

const config = schema.config?.variables ?? {};
let index = header(`${schema.displayName ?? schema.name} API reference (v${schema.version})`);
index += `${schema.description ?? ""}\n\n## Resources\n\n${pages.filter((p) => p.kind === "resource").map((p) => `- [${p.token}](${p.file})`).join("\n")}\n\n`;
index += `## Functions\n\n${functions.map(([token]) => `- [${token}](functions.md#${anchor(token)})`).join("\n")}\n\n## Types\n\n[All object types](types.md)\n\n`;
index += `## Provider configuration\n\n${propertyTable(config)}`;
fs.writeFileSync(path.join(outDir, "index.md"), index);
console.log(`wrote ${fs.readdirSync(outDir).length} pages to ${outDir}`);
