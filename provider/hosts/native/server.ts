// The ResourceProvider gRPC service of `pulumi-resource-anyscale`, over the protocol stubs that ship
// with @pulumi/pulumi. Each call unwraps the wire values, runs the shared provider module the dynamic
// host runs too, and adds what only a native host can: detailed diffs, a plan line per resource,
// live progress, the engine's timeouts, import, invokes and the package schema.
import type * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { resolveProviderSettings, type ConfigSource } from "../../core/config";
import { InvalidArgumentError, ResourceInitError } from "../../core/errors";
import type { FunctionContext } from "../../functions/scope";
import { detailedDiff } from "./detailed-diff";
import type { EngineLog } from "./engine-log";
import { invokeReturn } from "./invoke-secrets";
import { withEngineProgress } from "./progress-forwarder";
import { configFailures, configSourceFrom, SECRET_CONFIG } from "./provider-config";
import type { ResourceAdapter } from "./adapter";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { loadAdapter, loadInvoke, RESOURCE_TOKENS } from "./catalog";
import { previewCreateOutputs, previewUpdateOutputs } from "./preview-outputs";
import { grpcError } from "./rpc-errors";
import { withEngineTimeout, restoreTimeouts, type Operation } from "./timeouts";
import { identityFromUrn } from "./urn";
import { fromStruct, toStruct, wrapSecrets, type Props } from "./values";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const proto = require("@pulumi/pulumi/proto/provider_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pluginProto = require("@pulumi/pulumi/proto/plugin_pb");

type Request = { getUrn(): string; getType?(): string };

export class NativeProvider {
  /** Each adapter's module configured from the current config (by its first use after Configure), and how that went. */
  private configured = new Map<ResourceAdapter, Promise<Error | undefined>>();
  private config: ConfigSource = configSourceFrom({});
  private functionContext?: FunctionContext;
  constructor(
    private readonly engine: EngineLog,
    private readonly version: string,
    /** The schema built into a bundled plugin (its docs pages are not beside it); built on first ask otherwise. */
    private schemaText?: string,
  ) {}

  /** The request's adapter, its module loaded and configured; a module that could not be configured says why when it is used (ready). */
  private async adapter(request: Request): Promise<ResourceAdapter> {
    const type = request.getType?.() || identityFromUrn(request.getUrn()).type;
    const adapter = await loadAdapter(type);
    if (!adapter) throw new Error(`unknown resource type '${type}': this provider serves ${RESOURCE_TOKENS.join(", ")}`);
    if (!this.configured.has(adapter)) {
      const configure = adapter.module.configure({ config: this.config } as unknown as dynamic.ConfigureRequest);
      this.configured.set(adapter, configure.then(() => undefined, (error: Error) => error));
    }
    await this.configured.get(adapter);
    return adapter;
  }

  private async ready(adapter: ResourceAdapter): Promise<void> {
    const failure = await this.configured.get(adapter);
    if (failure) throw failure;
  }

  // ---- plugin and provider configuration ----

  async getPluginInfo(): Promise<unknown> {
    return new pluginProto.PluginInfo().setVersion(this.version);
  }

  async getSchema(): Promise<unknown> {
    this.schemaText ??= JSON.stringify((await import("./schema")).buildPackageSchema(this.version));
    return new proto.GetSchemaResponse().setSchema(this.schemaText);
  }

  async checkConfig(request: { getNews(): never }): Promise<unknown> {
    const news = fromStruct(request.getNews());
    const response = new proto.CheckResponse().setInputs(toStruct(wrapSecrets(news.props, [...news.secretKeys, ...SECRET_CONFIG])));
    response.setFailuresList(configFailures(news.props).map((failure) => new proto.CheckFailure().setProperty(failure.property).setReason(failure.reason)));
    return response;
  }

  async diffConfig(request: { getOlds(): never; getNews(): never }): Promise<unknown> {
    const olds = fromStruct(request.getOlds()).props;
    const news = fromStruct(request.getNews()).props;
    const changed = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter((key) => JSON.stringify(olds[key]) !== JSON.stringify(news[key]));
    // New settings apply to the next operation; no resource is replaced because the provider's config changed.
    return new proto.DiffResponse().setChanges(changed.length > 0 ? proto.DiffResponse.DiffChanges.DIFF_SOME : proto.DiffResponse.DiffChanges.DIFF_NONE).setDiffsList(changed);
  }

  async configure(request: { getVariablesMap(): { toObject(): [string, string][] }; hasArgs(): boolean; getArgs(): never }): Promise<unknown> {
    const variables = Object.fromEntries(request.getVariablesMap().toObject());
    const args = request.hasArgs() ? fromStruct(request.getArgs()).props : {};
    this.config = configSourceFrom({ ...variables, ...args });
    this.functionContext = undefined;
    this.configured = new Map(); // every module is configured again, from these settings, on its next use
    return new proto.ConfigureResponse().setAcceptsecrets(true).setSupportspreview(true).setAcceptresources(false);
  }

  // ---- resources ----

  async check(request: Request & { getOlds(): never; getNews(): never }): Promise<unknown> {
    const adapter = await this.adapter(request);
    const olds = fromStruct(request.getOlds());
    const news = fromStruct(request.getNews());
    const early = adapter.precheck?.(news.props) ?? [];
    if (early.length > 0) {
      const response = new proto.CheckResponse().setInputs(toStruct(wrapSecrets(news.props, news.secretKeys)));
      return response.setFailuresList(early.map((failure) => new proto.CheckFailure().setProperty(failure.property).setReason(failure.reason)));
    }
    const prepared = adapter.prepare(news.props, identityFromUrn(request.getUrn()), news.secretPaths);
    const result = await adapter.module.check(olds.props, prepared);
    const response = new proto.CheckResponse().setInputs(toStruct(wrapSecrets(result.inputs ?? prepared, news.secretKeys)));
    response.setFailuresList((result.failures ?? []).map((failure) => new proto.CheckFailure().setProperty(failure.property).setReason(failure.reason)));
    return response;
  }

  async diff(request: Request & { getId(): string; getOlds(): never; getNews(): never; hasOldInputs(): boolean; getOldInputs(): never }): Promise<unknown> {
    const adapter = await this.adapter(request);
    const state = fromStruct(request.getOlds()).props;
    const news = fromStruct(request.getNews()).props;
    const oldInputs = request.hasOldInputs() ? fromStruct(request.getOldInputs()).props : state;
    const result = await adapter.module.diff(request.getId(), state, news);
    const verdict = adapter.plan(state, news, result);
    const detailed = detailedDiff(verdict.fields, oldInputs, news, adapter.internal);
    const replaces = result.replaces ?? [];
    const userReplaces = replaces.filter((field) => !adapter.internal.has(field));
    const response = new proto.DiffResponse()
      .setChanges(result.changes ? proto.DiffResponse.DiffChanges.DIFF_SOME : proto.DiffResponse.DiffChanges.DIFF_NONE)
      // Only an internal reason to replace (a record deleted out of band) is still a replacement.
      .setReplacesList(userReplaces.length > 0 ? userReplaces : replaces)
      .setDeletebeforereplace(result.deleteBeforeReplace ?? false)
      // The summary line ("[diff: ~rollout]") names top-level properties.
      .setDiffsList([...new Set(Object.keys(detailed).map((path) => path.split(/[.[]/)[0]))])
      .setHasdetaileddiff(true);
    const map = response.getDetaileddiffMap();
    for (const [path, kind] of Object.entries(detailed)) map.set(path, new proto.PropertyDiff().setKind(proto.PropertyDiff.Kind[kind]).setInputdiff(true));
    if (result.changes && verdict.line) await this.engine.log("info", verdict.line, request.getUrn());
    return response;
  }

  private async operate<T>(adapter: ResourceAdapter, urn: string, operation: () => Promise<T>): Promise<T> {
    await this.ready(adapter);
    return withEngineProgress(this.engine, urn, operation);
  }

  /** Outputs on the wire: the declared secret outputs and whatever the inputs held secret. */
  private outputs(adapter: ResourceAdapter, outs: Props, secretInputs: Iterable<string>): Props {
    const { __provider: _provider, ...rest } = outs;
    return wrapSecrets(rest, [...secretInputs, ...adapter.secretOutputs]);
  }

  private failed(adapter: ResourceAdapter, error: unknown, inputs: { props: Props; secretKeys: Set<string> }): grpc.ServiceError {
    if (!(error instanceof ResourceInitError)) return grpcError(error);
    if (!/\bleft\b/.test(error.message)) {
      error.message += ` ${adapter.token.split(":")[2]} ${error.id} is recorded in the stack as it was left; \`pulumi up\` continues from it, \`pulumi destroy\` removes it.`;
    }
    const properties = this.outputs(adapter, restoreTimeouts(error.properties, inputs.props), inputs.secretKeys);
    return grpcError(error, { id: error.id, properties, inputs: wrapSecrets(inputs.props, inputs.secretKeys), reasons: error.reasons });
  }

  private timed(props: Props, operation: Operation, request: { getTimeout(): number }): Props {
    return withEngineTimeout(props, operation, request.getTimeout());
  }

  async create(request: Request & { getProperties(): never; getTimeout(): number; getPreview(): boolean }): Promise<unknown> {
    const adapter = await this.adapter(request);
    const inputs = fromStruct(request.getProperties());
    if (request.getPreview()) {
      return new proto.CreateResponse().setId("").setProperties(toStruct(this.outputs(adapter, previewCreateOutputs(adapter, inputs.props), inputs.secretKeys)));
    }
    try {
      const result = await this.operate(adapter, request.getUrn(), () => adapter.module.create(this.timed(inputs.props, "create", request)));
      const outs = this.outputs(adapter, restoreTimeouts(result.outs ?? {}, inputs.props), inputs.secretKeys);
      return new proto.CreateResponse().setId(result.id).setProperties(toStruct(outs));
    } catch (error) {
      throw this.failed(adapter, error, inputs);
    }
  }

  async update(request: Request & { getId(): string; getOlds(): never; getNews(): never; getTimeout(): number; getPreview(): boolean }): Promise<unknown> {
    const adapter = await this.adapter(request);
    const state = fromStruct(request.getOlds());
    const news = fromStruct(request.getNews());
    if (request.getPreview()) {
      const outs = previewUpdateOutputs(adapter, state.props, news.props);
      return new proto.UpdateResponse().setProperties(toStruct(this.outputs(adapter, outs, [...news.secretKeys, ...[...state.secretKeys].filter((key) => !(key in news.props))])));
    }
    try {
      const result = await this.operate(adapter, request.getUrn(), () => adapter.module.update(request.getId(), state.props, this.timed(news.props, "update", request)));
      const outs = this.outputs(adapter, restoreTimeouts(result.outs ?? {}, news.props), news.secretKeys);
      return new proto.UpdateResponse().setProperties(toStruct(outs));
    } catch (error) {
      throw this.failed(adapter, error, news);
    }
  }

  async delete(request: Request & { getId(): string; getProperties(): never; getTimeout(): number }): Promise<unknown> {
    const adapter = await this.adapter(request);
    const state = fromStruct(request.getProperties());
    try {
      await this.operate(adapter, request.getUrn(), () => adapter.module.delete(request.getId(), this.timed(state.props, "delete", request)));
    } catch (error) {
      throw grpcError(error);
    }
    return new Empty();
  }

  /** Refresh, `.get` and `pulumi import`: the live object, and the inputs it implies (so a first preview after import is clean). */
  async read(request: Request & { getId(): string; getProperties(): never; getInputs(): never }): Promise<unknown> {
    const adapter = await this.adapter(request);
    await this.ready(adapter);
    const state = fromStruct(request.getProperties());
    const oldInputs = fromStruct(request.getInputs());
    const result = await adapter.module.read(request.getId(), state.props);
    const response = new proto.ReadResponse();
    if (!result.id) return response;
    const secretKeys = [...oldInputs.secretKeys, ...state.secretKeys];
    response.setId(result.id).setProperties(toStruct(this.outputs(adapter, result.props ?? {}, secretKeys)));
    if (result.inputs) {
      const { __provider: _provider, ...inputs } = result.inputs;
      response.setInputs(toStruct(wrapSecrets(inputs, oldInputs.secretKeys)));
    }
    return response;
  }

  // ---- functions ----

  private async context(): Promise<FunctionContext> {
    if (!this.functionContext) {
      const { AnyscaleClient } = await import("../../anyscale/client");
      const settings = resolveProviderSettings(this.config);
      this.functionContext = {
        client: new AnyscaleClient({ host: settings.host, token: settings.token }),
        defaultCloud: settings.defaultCloud,
        defaultProject: settings.defaultProject,
      };
    }
    return this.functionContext;
  }

  async invoke(request: { getTok(): string; getArgs(): never }): Promise<unknown> {
    const spec = await loadInvoke(request.getTok());
    if (!spec) throw new Error(`unknown function '${request.getTok()}'`);
    const { props: args, secretKeys } = fromStruct(request.getArgs());
    const response = new proto.InvokeResponse();
    try {
      const result = ((await spec.call(await this.context(), args)) ?? {}) as Props;
      return response.setReturn(toStruct(invokeReturn({ spec, args, argsHadSecret: secretKeys.size > 0, result })));
    } catch (error) {
      // Bad arguments are the program's to fix: reported on the argument, like a check failure.
      if (error instanceof InvalidArgumentError) return response.setFailuresList([new proto.CheckFailure().setProperty(error.argument).setReason(error.message)]);
      throw error;
    }
  }

  async cancel(): Promise<unknown> {
    return new Empty();
  }
}
