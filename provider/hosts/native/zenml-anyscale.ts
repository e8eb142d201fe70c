// `anyscale:zenml:Service` with `anyscaleService`: what `zenml.Service.forAnyscale` does in TypeScript,
// for programs that cannot run code (YAML): the record is derived from an anyscale:Service's outputs
// by the same pure functions (provider/zenml/anyscale-registration.ts). As there, the fixed part (name,
// type, config) depends only on the service's id and name, so a previewed rollout (state and versions
// unknown) shows an update of the record, never a replacement.
import { z } from "zod";
import { containsUnknown, isUnknown, UNKNOWN_VALUE, type CheckFailure } from "../../core/dynamic-support";
import { ANYSCALE_SERVICE_SOURCE, ANYSCALE_SERVICE_TYPE, identityForAnyscale, observedForAnyscale } from "../../zenml/anyscale-registration";

type Props = Record<string, unknown>;

/** The outputs of an anyscale:Service a registration follows (as YAML writes them: `${api.id}`, `${api.state}`, …). */
export const anyscaleServiceRefSchema = z.strictObject({
  id: z.string().min(1, { error: "must not be empty" }),
  name: z.string().min(1, { error: "must not be empty" }),
  state: z.string().nullish(),
  queryUrl: z.string().nullish(),
  primaryVersion: z.unknown().optional(),
  canaryVersion: z.unknown().optional(),
});

/** Fields the registration derives: giving one beside `anyscaleService` would be ignored, so it is an error. */
const DERIVED = ["serviceType", "serviceSource", "adminState", "status", "endpoint", "predictionUrl"] as const;

export function anyscaleRegistrationFailures(news: Props): CheckFailure[] {
  const ref = news.anyscaleService;
  if (ref === undefined || ref === null) return [];
  const failures: CheckFailure[] = DERIVED.filter((field) => news[field] !== undefined && news[field] !== null).map((field) => ({
    property: field,
    reason: `${field} is derived from anyscaleService (as zenml.Service.forAnyscale does); leave it out or drop anyscaleService`,
  }));
  if (isUnknown(ref)) return failures;
  const known = Object.fromEntries(Object.entries(ref as Props).filter(([, value]) => !isUnknown(value)));
  const parsed = anyscaleServiceRefSchema.partial({ id: true, name: true }).safeParse(known);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) failures.push({ property: ["anyscaleService", ...issue.path].join("."), reason: `anyscaleService.${issue.path.join(".")}: ${issue.message}` });
  }
  for (const field of ["id", "name"] as const) {
    if (!(field in (ref as Props))) failures.push({ property: `anyscaleService.${field}`, reason: `anyscaleService.${field} is required (the anyscale:Service's ${field === "id" ? "id" : "name"})` });
  }
  return failures;
}

/**
 * The record's inputs: with `anyscaleService`, the derived fields (the program's own `name`, `config`
 * and `labels` are forAnyscale's options); without it, the name defaults to the resource name as in
 * the TypeScript class.
 */
export function expandAnyscaleRegistration(news: Props, resourceName: string): Props {
  const { anyscaleService: ref, ...rest } = news;
  if (ref === undefined || ref === null) return rest.name === undefined ? { ...rest, name: resourceName } : rest;
  const service = (isUnknown(ref) ? {} : ref) as Props;
  const unknown = (...keys: string[]) => isUnknown(ref) || keys.some((key) => containsUnknown(service[key]));
  const options = { name: rest.name as string | undefined, config: rest.config as Props | undefined, labels: rest.labels as Record<string, string> | undefined };

  const identity =
    unknown("id", "name") || containsUnknown(rest.name) || containsUnknown(rest.config)
      ? {
          name: rest.name ?? (isUnknown(ref) ? UNKNOWN_VALUE : (service.name ?? UNKNOWN_VALUE)),
          serviceType: { ...ANYSCALE_SERVICE_TYPE },
          serviceSource: ANYSCALE_SERVICE_SOURCE,
          config: UNKNOWN_VALUE,
        }
      : identityForAnyscale({ id: service.id as string, name: service.name as string }, options);

  const observed =
    unknown("id", "name", "state", "queryUrl", "primaryVersion", "canaryVersion") || containsUnknown(rest.labels)
      ? { adminState: UNKNOWN_VALUE, labels: UNKNOWN_VALUE, status: UNKNOWN_VALUE, endpoint: UNKNOWN_VALUE, predictionUrl: UNKNOWN_VALUE }
      : observedForAnyscale(
          {
            id: service.id as string,
            name: service.name as string,
            state: (service.state as string | null | undefined) ?? undefined,
            queryUrl: (service.queryUrl as string | null | undefined) ?? undefined,
            primaryVersion: service.primaryVersion,
            canaryVersion: service.canaryVersion,
          },
          options,
        );
  return { ...rest, ...identity, ...observed };
}
