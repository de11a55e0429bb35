// One shape for findings of every lint tool, so the build can print and count them uniformly.
export type Severity = "error" | "warn";

export interface Problem {
  tool: "redocly" | "spectral" | "build";
  severity: Severity;
  rule: string;
  message: string;
  /** File (relative to the repo) and position or JSON pointer, when the tool gives one. */
  where: string;
}

export function countErrors(problems: readonly Problem[]): number {
  return problems.filter((p) => p.severity === "error").length;
}

export function formatProblem(p: Problem): string {
  return `  ${p.severity === "error" ? "error" : "warn "} ${p.tool}/${p.rule} ${p.where}\n        ${p.message}`;
}
