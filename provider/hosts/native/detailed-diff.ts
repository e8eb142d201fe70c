// Pure: the engine's detailed diff (property path → ADD / UPDATE / DELETE, each with a _REPLACE
// variant) from the fields a planner found changed, judged against the old and new inputs. Internal
// inputs never appear: the user never wrote them. A changed local-files digest shows on the input that
// names those files.
export type DiffKind = "ADD" | "ADD_REPLACE" | "DELETE" | "DELETE_REPLACE" | "UPDATE" | "UPDATE_REPLACE";

export interface ChangedField {
  /** Dotted input path, e.g. "rollout.canaryPercent". */
  path: string;
  replace: boolean;
}

type Props = Record<string, unknown>;

function valueAt(props: Props, path: string): unknown {
  let value: unknown = props;
  for (const part of path.split(".")) value = value && typeof value === "object" ? (value as Props)[part] : undefined;
  return value;
}

/** Where a digest of local files shows up for the user: the first input naming local files that is set. */
const DIGEST_FIELDS: Record<string, readonly string[]> = {
  sourceHash: ["workingDir", "requirements", "pyModules", "containerfile"],
  // Which env vars are secret (filled from the program's secret values) shows on envVars.
  secretEnvVarNames: ["envVars"],
};

export function detailedDiff(fields: readonly ChangedField[], olds: Props, news: Props, internal: ReadonlySet<string>): Record<string, DiffKind> {
  const out: Record<string, DiffKind> = {};
  for (const field of fields) {
    let path = field.path;
    if (internal.has(path)) {
      const shownOn = DIGEST_FIELDS[path]?.find((candidate) => valueAt(news, candidate) !== undefined);
      if (!shownOn) continue;
      path = shownOn;
    }
    const before = valueAt(olds, path);
    const after = valueAt(news, path);
    const base: DiffKind = before === undefined ? "ADD" : after === undefined ? "DELETE" : "UPDATE";
    const kind = (field.replace ? `${base}_REPLACE` : base) as DiffKind;
    // A replacing reason wins over an in-place one on the same path.
    if (!out[path] || kind.endsWith("_REPLACE")) out[path] = kind;
  }
  return out;
}
