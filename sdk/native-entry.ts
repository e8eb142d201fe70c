// `pulumi-anyscale/native` (native/package.json points here): the typed SDK generated from the schema
// (sdk/native, scripts/gen-sdks.sh), with the same guard the dynamic classes get from sdk/index.ts:
// the Node.js SDK's debug lines about resource responses carry no output values (secrets).
import { quietRpcResponseLogs } from "./quiet-rpc-logs";

quietRpcResponseLogs();

export * from "./native";
