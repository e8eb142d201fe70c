// What Create and Update answer during a preview (the plugin says supportsPreview): the outputs that can
// be known before anything is sent. Inputs are outputs too, so they are echoed; a computed output keeps
// its current value when the adapter says this update leaves it alone (a Service's queryUrl through a
// tags-only update), and is unknown otherwise, so the program sees "known after apply", never a guess.
import { UNKNOWN_VALUE } from "../../core/dynamic-support";
import type { Props, ResourceAdapter } from "./adapter";

/** A create: the inputs, every computed output unknown. */
export function previewCreateOutputs(adapter: ResourceAdapter, news: Props): Props {
  const outs: Props = { ...news };
  for (const output of adapter.computedOutputs) if (!(output in news)) outs[output] = UNKNOWN_VALUE;
  return outs;
}

/** An update: the new inputs, and the computed outputs from the current state where the update leaves them, else unknown. */
export function previewUpdateOutputs(adapter: ResourceAdapter, state: Props, news: Props): Props {
  const known = new Set(adapter.knownThroughUpdate?.(state, news) ?? []);
  const outs: Props = { ...news };
  for (const output of adapter.computedOutputs) {
    if (output in news) continue;
    outs[output] = known.has(output) && output in state ? state[output] : UNKNOWN_VALUE;
  }
  return outs;
}
