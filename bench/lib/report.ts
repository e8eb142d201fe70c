// Collects the figures every benchmark measures and prints them as one table at the end.

export interface Figure {
  bench: string;
  metric: string;
  value: string;
  goal?: string;
  /** undefined when the figure has no pass/fail goal. */
  met?: boolean;
}

export class Report {
  readonly figures: Figure[] = [];

  add(figure: Figure): void {
    this.figures.push(figure);
    const verdict = figure.met === undefined ? "" : figure.met ? "  [goal met]" : "  [goal MISSED]";
    process.stderr.write(`[bench] ${figure.bench}: ${figure.metric} = ${figure.value}${figure.goal ? ` (goal ${figure.goal})` : ""}${verdict}\n`);
  }

  print(): void {
    const rows = [["benchmark", "figure", "value", "goal", "met"], ...this.figures.map((f) => [f.bench, f.metric, f.value, f.goal ?? "", f.met === undefined ? "" : f.met ? "yes" : "NO"])];
    const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
    const line = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column])).join(" | ");
    process.stdout.write([line(rows[0]), widths.map((w) => "-".repeat(w)).join("-|-"), ...rows.slice(1).map(line)].join("\n") + "\n");
  }
}
