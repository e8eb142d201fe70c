// getService / listServices: argument checks first (no request on bad input), then the list
// endpoint page by page, mapped to ServiceStatus (without the query auth token).
import { z } from "zod";
import { serviceSchema, type ServiceModel } from "../anyscale/service-models";
import { AmbiguousNameError, ObjectNotFoundError } from "../core/errors";
import { collect, paginate } from "../core/paging";
import { parseArguments } from "./parse-arguments";
import { lookupScope, resolveListScope, type FunctionContext } from "./scope";
import {
  getServiceArgsSchema,
  listServicesArgsSchema,
  type GetServiceArgs,
  type ListServicesArgs,
  type ParsedGetServiceArgs,
} from "./service-arguments";
import { LIST_SERVICES_PATH, listServicesQuery, matchesStateFilter } from "./service-queries";
import { serviceStatusSchema, type ServiceStatus } from "./service-results";
import { Lookups } from "./catalog-reads";
import { describeService } from "./service-details";

export const GET_SERVICE = "anyscale.getService";
export const LIST_SERVICES = "anyscale.listServices";

export const listServicesResultSchema = z.strictObject({
  services: z.array(serviceStatusSchema).meta({ description: "The matching services (never their query tokens)." }),
});
export type ListServicesResult = z.infer<typeof listServicesResultSchema>;

export async function getService(context: FunctionContext, args: GetServiceArgs): Promise<ServiceStatus> {
  const parsed = parseArguments(GET_SERVICE, getServiceArgsSchema, args);
  return describeService(new Lookups(context.client), await findService(context, GET_SERVICE, parsed), parsed.verbose);
}

/** The service a lookup designates: by id, or the one service with exactly that name in scope. */
export async function findService(context: FunctionContext, functionName: string, parsed: ParsedGetServiceArgs): Promise<ServiceModel> {
  if (parsed.id !== undefined) {
    const service = await context.client.services.get(parsed.id);
    if (!service) throw new ObjectNotFoundError(functionName, `service with id '${parsed.id}'`);
    return service;
  }
  const name = parsed.name!;
  const scope = await lookupScope(context, parsed);
  // The endpoint's name filter matches substrings case-insensitively: keep exact matches only.
  const pages = paginate(
    (token) =>
      context.client.page(serviceSchema, "GET", LIST_SERVICES_PATH, {
        query: listServicesQuery({ name, includeArchived: parsed.includeArchived }, scope, token),
      }),
    { endpoint: `GET ${LIST_SERVICES_PATH}` },
  );
  const matches = (await collect(pages)).filter((service) => service.name === name);
  if (matches.length === 0) {
    const where = scope.projectId ? ` in project ${scope.projectId}` : "";
    throw new ObjectNotFoundError(functionName, `service named '${name}'${where}${parsed.includeArchived ? "" : " (archived services are skipped unless includeArchived is set)"}`);
  }
  if (matches.length > 1) {
    const projects = [...new Set(matches.map((service) => service.project_id))].join(", ");
    throw new AmbiguousNameError(functionName, `${matches.length} services are named '${name}' (projects ${projects}); pass 'project' or 'id'`);
  }
  return matches[0];
}

export async function listServices(context: FunctionContext, args: ListServicesArgs = {}): Promise<ListServicesResult> {
  const parsed = parseArguments(LIST_SERVICES, listServicesArgsSchema, args);
  const lookups = new Lookups(context.client);
  if (parsed.id !== undefined) {
    // As `anyscale service list --id`: one service, or none.
    const service = await context.client.services.get(parsed.id);
    return { services: service ? [await describeService(lookups, service, parsed.verbose)] : [] };
  }
  const scope = await resolveListScope(context, parsed);
  // An UNKNOWN state filter is applied here (the query then carries no state filter), so maxItems
  // counts only the services that pass it.
  const filteredHere = parsed.states?.includes("UNKNOWN") ?? false;
  const pages = paginate(
    (token) => context.client.page(serviceSchema, "GET", LIST_SERVICES_PATH, { query: listServicesQuery(parsed, scope, token) }),
    { maxItems: filteredHere ? undefined : parsed.maxItems, endpoint: `GET ${LIST_SERVICES_PATH}` },
  );
  const found: ServiceModel[] = [];
  for await (const service of pages) {
    if (!matchesStateFilter(parsed.states, service.current_state)) continue;
    found.push(service);
    if (parsed.maxItems !== undefined && found.length >= parsed.maxItems) break;
  }
  const services: ServiceStatus[] = [];
  for (const service of found) services.push(await describeService(lookups, service, parsed.verbose));
  return { services };
}
