// Errors back to the engine. A resource that exists but failed to finish (a wait that timed out or
// failed) travels as ErrorResourceInitFailed in the gRPC status details, so the engine records it
// with its id, outputs and inputs: nothing is orphaned, and the next `pulumi up` continues from it.
import * as grpc from "@grpc/grpc-js";
import { Any } from "google-protobuf/google/protobuf/any_pb";
import { redact } from "../../core/redact";
import { toStruct, type Props } from "./values";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const providerProto = require("@pulumi/pulumi/proto/provider_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const statusProto = require("@pulumi/pulumi/proto/status_pb");

export interface InitFailure {
  id: string;
  properties: Props;
  inputs: Props;
  reasons: string[];
}

export function grpcError(error: unknown, initFailure?: InitFailure): grpc.ServiceError {
  const message = redact(error instanceof Error ? error.message : String(error));
  const metadata = new grpc.Metadata();
  if (initFailure) {
    const detail = new providerProto.ErrorResourceInitFailed();
    detail.setId(initFailure.id);
    detail.setProperties(toStruct(initFailure.properties));
    detail.setInputs(toStruct(initFailure.inputs));
    detail.setReasonsList(initFailure.reasons.map((reason) => redact(reason)));
    const packed = new Any();
    packed.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
    const status = new statusProto.Status();
    status.setCode(grpc.status.UNKNOWN);
    status.setMessage(message);
    status.addDetails(packed);
    metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
  }
  return Object.assign(new Error(message), { code: grpc.status.UNKNOWN, details: message, metadata }) as grpc.ServiceError;
}
