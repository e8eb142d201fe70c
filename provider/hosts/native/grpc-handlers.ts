// The bridge from grpc-js to NativeProvider: each served method becomes a unary handler, and any
// failure that is not already a gRPC status becomes one.
import type * as grpc from "@grpc/grpc-js";
import { grpcError } from "./rpc-errors";
import type { NativeProvider } from "./server";

/** The handlers grpc-js serves: every method of the stub's service that NativeProvider implements. */
export function grpcHandlers(provider: NativeProvider): grpc.UntypedServiceImplementation {
  const unary =
    (method: (request: never) => Promise<unknown>) =>
    (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>): void => {
      method.call(provider, call.request as never).then(
        (response) => callback(null, response),
        (error) => callback(error && typeof (error as grpc.ServiceError).code === "number" ? (error as grpc.ServiceError) : grpcError(error)),
      );
    };
  return {
    getPluginInfo: unary(provider.getPluginInfo),
    getSchema: unary(provider.getSchema),
    checkConfig: unary(provider.checkConfig),
    diffConfig: unary(provider.diffConfig),
    configure: unary(provider.configure),
    check: unary(provider.check),
    diff: unary(provider.diff),
    create: unary(provider.create),
    read: unary(provider.read),
    update: unary(provider.update),
    delete: unary(provider.delete),
    invoke: unary(provider.invoke),
    cancel: unary(provider.cancel),
  };
}
