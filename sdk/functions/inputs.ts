// The Output form of a data function takes the same arguments, each of which may be an Output.
import * as pulumi from "@pulumi/pulumi";

export type InputArgs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/** Runs a plain data function once every argument is known (during preview, unknown args give an unknown result). */
export function invokeWithInputs<Args extends object, Result>(
  args: InputArgs<Args> | undefined,
  invoke: (plain: Args) => Promise<Result>,
): pulumi.Output<Result> {
  return pulumi.output(args ?? ({} as InputArgs<Args>)).apply((plain) => invoke(plain as unknown as Args));
}

/**
 * Verbose reads return workload configs, env var values included: their Output form is a secret, so
 * exporting one never writes those values to the state in plain text.
 */
export function invokeVerboseAware<Args extends { verbose?: boolean }, Result>(
  args: InputArgs<Args> | undefined,
  invoke: (plain: Args) => Promise<Result>,
): pulumi.Output<Result> {
  const plainArgs = pulumi.output(args ?? ({} as InputArgs<Args>)) as unknown as pulumi.Output<Args>;
  return plainArgs.apply(async (plain) => {
    const result = pulumi.output(await invoke(plain)) as unknown as pulumi.Output<Result>;
    return plain.verbose ? pulumi.secret(result) : result;
  }) as unknown as pulumi.Output<Result>;
}
