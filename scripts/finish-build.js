// The last step of `npm run build`, after tsc: files the compiled package needs beside dist/'s .js.
// - dist/sdk/native/package.json, so `pulumi-anyscale/native` resolves as the generated SDK expects;
// - dist/provider/hosts/native/schema.json, the package schema computed once here, so a plugin started
//   from node_modules (a program's `plugins: path:`) answers GetSchema without evaluating every
//   resource module and the docs tables each time the engine starts it (the single executable carries
//   its own copy, scripts/build-plugin.sh).
const fs = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");
fs.copyFileSync(path.join(root, "sdk/native/package.json"), path.join(root, "dist/sdk/native/package.json"));
const { version } = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const { buildPackageSchema } = require(path.join(root, "dist/provider/hosts/native/schema"));
fs.writeFileSync(path.join(root, "dist/provider/hosts/native/schema.json"), JSON.stringify(buildPackageSchema(version)));
