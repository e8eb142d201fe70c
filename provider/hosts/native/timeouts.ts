// Pure: the engine's per-operation timeout (CreateRequest.timeout etc., seconds; 0 when none) mapped
// onto the resources' own `timeouts` input, which their waits already honour. The outputs keep the
// user's `timeouts`, so an engine timeout never shows up as a change.
type Props = Record<string, unknown>;

export type Operation = "create" | "update" | "delete";

export function withEngineTimeout(props: Props, operation: Operation, timeoutSeconds: number): Props {
  if (!(timeoutSeconds > 0)) return props;
  const given = props.timeouts && typeof props.timeouts === "object" ? (props.timeouts as Props) : {};
  return { ...props, timeouts: { ...given, [operation]: `${timeoutSeconds}s` } };
}

export function restoreTimeouts(outs: Props, inputs: Props): Props {
  const { timeouts: _engine, ...rest } = outs;
  return inputs.timeouts === undefined ? rest : { ...rest, timeouts: inputs.timeouts };
}
