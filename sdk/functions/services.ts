// anyscale.getService / anyscale.listServices: reference services this program does not own.
import * as pulumi from "@pulumi/pulumi";
import { programFunctionContext } from "../../provider/functions/program-context";
import * as services from "../../provider/functions/services";
import type { GetServiceArgs, ListServicesArgs } from "../../provider/functions/service-arguments";
import type { ServiceStatus, ServiceVersionStatus } from "../../provider/functions/service-results";
import { invokeVerboseAware, invokeWithInputs, type InputArgs } from "./inputs";

export type { GetServiceArgs, ListServicesArgs, ServiceStatus, ServiceVersionStatus };
export type ListServicesResult = services.ListServicesResult;

/**
 * One service, by `id` or by `name` (within `cloud` / `project`, else the stack's `anyscale:cloud` /
 * `anyscale:project`). Like `anyscale service status`; the query auth token is never returned.
 */
export async function getService(args: GetServiceArgs): Promise<ServiceStatus> {
  return services.getService(programFunctionContext(), args);
}

export function getServiceOutput(args: InputArgs<GetServiceArgs>): pulumi.Output<ServiceStatus> {
  return invokeVerboseAware(args, getService);
}

/**
 * Every service matching the filters of `anyscale service list` (all pages, up to `maxItems`).
 * `tags: { team: ["mlops", "infra"], env: "prod" }` means team is mlops OR infra, AND env is prod.
 */
export async function listServices(args: ListServicesArgs = {}): Promise<ListServicesResult> {
  return services.listServices(programFunctionContext(), args);
}

export function listServicesOutput(args: InputArgs<ListServicesArgs> = {}): pulumi.Output<ListServicesResult> {
  return invokeVerboseAware(args, listServices);
}
