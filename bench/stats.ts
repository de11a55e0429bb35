// Small statistics helpers for side-by-side measurements on a noisy shared machine.
export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export interface Row {
  name: string;
  goal: string;
  measured: string;
  verdict: "pass" | "FAIL" | "info";
}

export function printTable(rows: readonly Row[]): string {
  const header = ["benchmark", "goal", "measured", "verdict"];
  const cells = rows.map((r) => [r.name, r.goal, r.measured, r.verdict]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i]!)).join(" | ")} |`;
  return [
    line(header),
    `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`,
    ...cells.map(line),
  ].join("\n");
}
