// anyscale.getComputeConfig: reference a registered compute config version this program does not own.
import * as pulumi from "@pulumi/pulumi";
import * as computeConfigs from "../../provider/functions/compute-configs";
import type { ComputeConfigVersionInfo, GetComputeConfigArgs } from "../../provider/functions/compute-configs";
import { programFunctionContext } from "../../provider/functions/program-context";
import { invokeWithInputs, type InputArgs } from "./inputs";

export type { ComputeConfigVersionInfo, GetComputeConfigArgs };

/** One compute config version by `name[:version]` (latest when no version) or id, like `anyscale compute-config get`. */
export async function getComputeConfig(args: GetComputeConfigArgs): Promise<ComputeConfigVersionInfo> {
  return computeConfigs.getComputeConfig(programFunctionContext(), args);
}

export function getComputeConfigOutput(args: InputArgs<GetComputeConfigArgs>): pulumi.Output<ComputeConfigVersionInfo> {
  return invokeWithInputs(args, getComputeConfig);
}
