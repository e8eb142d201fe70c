// The per-input descriptions of the package schema come from the resource pages (docs/resources/*.md),
// the text users already read: each table row that starts with a backticked input name describes it.
import * as fs from "node:fs";
import * as path from "node:path";

/** Pure: field → description from a markdown page's tables ("Header: cell" for each further column). */
export function descriptionsFromMarkdown(markdown: string): Map<string, string> {
  const out = new Map<string, string>();
  let header: string[] | undefined;
  for (const line of markdown.split("\n")) {
    if (!line.startsWith("|")) {
      header = undefined;
      continue;
    }
    const cells = line.split("|").slice(1, -1).map((cell) => cell.trim());
    if (cells.every((cell) => /^:?-{3,}:?$/.test(cell))) continue;
    const field = /^`([A-Za-z][A-Za-z0-9_.]*)`/.exec(cells[0] ?? "");
    if (!field) {
      header = cells;
      continue;
    }
    if (out.has(field[1])) continue;
    const lead = cells[0].slice(field[0].length).replace(/[✱*]/g, "").trim().replace(/^\((.*)\)$/, "$1");
    const rest = cells.slice(1).flatMap((cell, index) => (cell && cell !== "—" && cell !== "-" ? [header?.[index + 1] ? `${header[index + 1]}: ${cell}` : cell] : []));
    const text = [lead, ...rest].filter(Boolean).join(". ");
    if (text) out.set(field[1], text.replace(/\*\*/g, ""));
  }
  return out;
}

/** The package root (holds docs/ in a checkout and in the installed package). */
function packageRoot(): string | undefined {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, "package.json")) && fs.existsSync(path.join(dir, "docs", "resources"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Descriptions of one resource page, e.g. "service.md"; empty when the docs are not shipped. */
export function resourceDescriptions(page: string): Map<string, string> {
  const root = packageRoot();
  if (!root) return new Map();
  try {
    return descriptionsFromMarkdown(fs.readFileSync(path.join(root, "docs", "resources", page), "utf8"));
  } catch {
    return new Map();
  }
}
