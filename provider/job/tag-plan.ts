// Pure: how to move a resource's tags from what it has to what the program declares, using the
// tags API (upsert + delete by key), which is the only in-place change a job allows.

export interface TagChanges {
  upsert: Record<string, string>;
  remove: string[];
}

export function planTagChanges(current: Record<string, string> | undefined, desired: Record<string, string> | undefined): TagChanges {
  const have = current ?? {};
  const want = desired ?? {};
  const upsert: Record<string, string> = {};
  for (const [key, value] of Object.entries(want)) if (have[key] !== value) upsert[key] = value;
  const remove = Object.keys(have).filter((key) => !(key in want)).sort();
  return { upsert, remove };
}

export function hasTagChanges(changes: TagChanges): boolean {
  return Object.keys(changes.upsert).length > 0 || changes.remove.length > 0;
}

