// pulumi-resource-anyscale (started by bin/ or the single executable, sea-entry.ts): the engine starts this plugin with its own address as the first argument
// and reads the port the gRPC server listens on from stdout (nothing else may be written there).
import * as fs from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { connectEngineLog } from "./engine-log";
import { watchEngineOnce } from "../../core/engine-watch";
import { grpcHandlers } from "./grpc-handlers";
import { NativeProvider } from "./server";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const providerRpc = require("@pulumi/pulumi/proto/provider_grpc_pb");

function packageVersion(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (fs.existsSync(file)) {
      const manifest = JSON.parse(fs.readFileSync(file, "utf8"));
      if (manifest.name === "pulumi-anyscale") return manifest.version;
    }
  }
  return "0.0.0";
}

/**
 * The schema `npm run build` computed beside this file (scripts/finish-build.js), when it is for this
 * version; otherwise (running from source) the provider builds it on the first GetSchema.
 */
function builtSchema(version: string): string | undefined {
  try {
    const text = fs.readFileSync(path.join(__dirname, "schema.json"), "utf8");
    return (JSON.parse(text) as { version?: string }).version === version ? text : undefined;
  } catch {
    return undefined;
  }
}

/** What a bundled plugin (the single executable) carries instead of reading the package's files. */
export interface Embedded {
  version: string;
  schemaText: string;
}

export async function main(args: string[], embedded?: Embedded): Promise<void> {
  const engineAddress = args.find((arg) => !arg.startsWith("-"));
  watchEngineOnce(engineAddress); // stop driving within seconds when the engine is gone (core/engine-watch.ts)
  const version = embedded?.version ?? packageVersion();
  const provider = new NativeProvider(connectEngineLog(engineAddress), version, embedded?.schemaText ?? builtSchema(version));
  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  server.addService(providerRpc.ResourceProviderService, grpcHandlers(provider));
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  process.stdout.write(`${port}\n`);
  // Anything a library prints from now on goes to stderr, which the engine logs, not to the port channel.
  console.log = console.error;
  console.info = console.error;
  process.on("unhandledRejection", (reason) => console.error("pulumi-resource-anyscale: unhandled rejection:", reason instanceof Error ? reason.message : reason));
}

