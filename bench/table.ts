/** One row of the benchmark table: a figure next to its baseline from the same run. */
export interface Row {
  what: string;
  figure: string;
  baseline: string;
  ratio: string;
  goal: string;
  command: string;
}

/** Table rows, and text printed after the table that explains them. */
export interface Report {
  rows: Row[];
  sections: string[];
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const ms = (value: number) => `${value.toFixed(1)} ms`;

/** A goal as the table shows it: marked when this run missed it, so that no miss reads as a pass. */
export const goal = (text: string, met: boolean) => (met ? text : `${text} (missed)`);

/** Smallest to largest, to show how noisy a median is. */
export const spread = (values: number[]) => `${Math.min(...values).toFixed(0)}-${Math.max(...values).toFixed(0)} ms`;

const ROW_HEADERS: Array<keyof Row> = ['what', 'figure', 'baseline', 'ratio', 'goal', 'command'];

/** The rows as a markdown table, one string per line; `headers` name the columns, in order. */
export function formatTable<T extends Record<keyof T, string>>(
  rows: T[],
  headers = ROW_HEADERS as unknown as Array<keyof T & string>,
): string[] {
  const widths = headers.map((h) => Math.max(h.length, ...rows.map((r) => r[h].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [
    line(headers),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map((row) => line(headers.map((h) => row[h]))),
  ];
}
