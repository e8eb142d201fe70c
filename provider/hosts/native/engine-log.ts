// The channel back to the engine (its address is the plugin's first argument): diagnostics for
// `pulumi preview` and ephemeral status lines for `pulumi up`. Never fails an operation.
import * as grpc from "@grpc/grpc-js";
import { redact } from "../../core/redact";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const engineRpc = require("@pulumi/pulumi/proto/engine_grpc_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const engineProto = require("@pulumi/pulumi/proto/engine_pb");

export type Severity = "debug" | "info" | "warning" | "error";

export interface EngineLog {
  log(severity: Severity, message: string, urn?: string, ephemeral?: boolean): Promise<void>;
}

const SEVERITY: Record<Severity, number> = { debug: 0, info: 1, warning: 2, error: 3 };

export function connectEngineLog(address: string | undefined): EngineLog {
  if (!address) return { log: async () => undefined };
  const client = new engineRpc.EngineClient(address, grpc.credentials.createInsecure(), { "grpc.max_receive_message_length": 64 * 1024 * 1024 });
  return {
    log(severity, message, urn, ephemeral = false) {
      const request = new engineProto.LogRequest();
      request.setSeverity(SEVERITY[severity]);
      request.setMessage(redact(message));
      if (urn) request.setUrn(urn);
      request.setEphemeral(ephemeral);
      return new Promise((resolve) => client.log(request, () => resolve()));
    },
  };
}
