// What the plugin needs to know about one resource on top of its shared provider module: the adapter
// shape every file under adapters/ fills, and the small helpers they share.
import type { z } from "zod";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { ChangedField } from "./detailed-diff";

export type Props = Record<string, unknown>;

/** The exports every provider/<resource>/dynamic.ts module has. */
export interface ProviderModule {
  configure(req: dynamic.ConfigureRequest): Promise<void>;
  check(olds: Props, news: Props): Promise<dynamic.CheckResult>;
  diff(id: string, olds: Props, news: Props): Promise<dynamic.DiffResult>;
  create(props: Props): Promise<dynamic.CreateResult>;
  read(id: string, props: Props): Promise<dynamic.ReadResult>;
  update(id: string, olds: Props, news: Props): Promise<dynamic.UpdateResult>;
  delete(id: string, props: Props): Promise<void>;
}

/** Who the resource is, from its URN: what the sdk classes read from pulumi.getProject()/getStack(). */
export interface ResourceIdentity {
  project: string;
  stack: string;
  name: string;
}

export interface PlanVerdict {
  fields: ChangedField[];
  line?: string;
}

export interface ResourceAdapter {
  token: string;
  module: ProviderModule;
  /** The zod object schema of the inputs: the package schema is generated from it. */
  inputSchema: z.ZodType;
  /** docs/resources page whose input table describes the inputs. */
  docsPage: string;
  /** Inputs the schema lists as optional although the zod schema requires them: the host fills them (e.g. name from the resource name). */
  defaultedInputs?: readonly string[];
  /** Inputs the user never writes (set by the host or by check): not in the schema, never a user change. */
  internal: ReadonlySet<string>;
  /** Output-only properties. */
  computedOutputs: readonly string[];
  /** The declared outputs, when the resource declares them: their types and descriptions go into the package schema. */
  outputSchema?: z.ZodObject;
  /** An input's description from the resource's declared model (else the docs table's). */
  describeInput?(field: string): string | undefined;
  secretOutputs: readonly string[];
  /** Computed outputs an update from `state` to `news` leaves as they are (known in preview); the rest are unknown there. */
  knownThroughUpdate?(state: Props, news: Props): readonly string[];
  /** Failures only this host can find (inputs the sdk classes take as arguments instead); reported like check's. */
  precheck?(news: Props): { property: string; reason: string }[];
  /** Adds the internal inputs the sdk class would have set, from the resource's identity. */
  prepare(news: Props, identity: ResourceIdentity, secretPaths: readonly string[]): Props;
  /** The planner's verdict; `state` is the old outputs (what the engine sends as olds, as in the dynamic host). */
  plan(state: Props, news: Props, diff: dynamic.DiffResult): PlanVerdict;
}

export function scopeOf(identity: ResourceIdentity): string {
  return `${identity.project}/${identity.stack}/${identity.name}`;
}

/** As the sdk class: the registered name defaults to the resource name. */
export function nameDefaulted(news: Props, identity: ResourceIdentity): Props {
  return news.name === undefined ? { ...news, name: identity.name } : news;
}
