// @pulumi/pulumi logs each resource monitor answer at debug level with the message object in a
// template string ("RegisterResource RPC finished: …; resp: ${innerResponse}"), and a protobuf message
// turns into its whole contents: the outputs, secret values in plaintext (a Service's queryAuthToken).
// The engine keeps debug diagnostics in every `--event-log` (what the Automation API reads) whatever
// the verbosity. Giving those response types a toString that names the message without its values
// keeps the SDK's log line and drops the secrets; nothing else in the SDK formats them as text.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const resourceProto = require("@pulumi/pulumi/proto/resource_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const providerProto = require("@pulumi/pulumi/proto/provider_pb");

interface Described {
  getUrn?(): string;
  getId?(): string;
}

function describe(type: string) {
  return function (this: Described): string {
    const fields = [this.getUrn?.() ? `urn=${this.getUrn()}` : "", this.getId?.() ? `id=${this.getId()}` : ""].filter(Boolean);
    return `${type}{${fields.join(", ")}${fields.length > 0 ? ", " : ""}values not logged}`;
  };
}

const RESPONSES: [Record<string, { prototype: object }>, string][] = [
  [resourceProto, "RegisterResourceResponse"],
  [resourceProto, "ReadResourceResponse"],
  [providerProto, "InvokeResponse"],
  [providerProto, "CallResponse"],
];

/** Idempotent: every copy of the sdk loaded in a program patches the same prototypes the same way. */
export function quietRpcResponseLogs(): void {
  for (const [module, type] of RESPONSES) {
    const prototype = module[type]?.prototype as { toString?: () => string } | undefined;
    if (prototype) Object.defineProperty(prototype, "toString", { value: describe(type), configurable: true, writable: true });
  }
}
