#!/usr/bin/env node
// Runs a TypeScript entry point without a build: `node local/dev/run-ts.js local/bin.ts --data-dir D`.
// Transpile-only (no type check) through the project's own `typescript` package, for tests and local use.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const ts = require("typescript");

require.extensions[".ts"] = function compileTs(module, filename) {
  const source = fs.readFileSync(filename, "utf8");
  const { outputText } = ts.transpileModule(source, {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, sourceMap: false },
  });
  module._compile(outputText, filename);
};

const entry = process.argv[2];
if (!entry) {
  process.stderr.write("usage: node local/dev/run-ts.js <entry.ts> [args...]\n");
  process.exit(2);
}
process.argv.splice(1, 1); // the entry sees its own arguments as if run directly
require(path.resolve(entry));
