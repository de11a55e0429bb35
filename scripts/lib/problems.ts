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

/** A GitHub Actions workflow command: an inline annotation on the file in a pull request. */
export function formatGithubAnnotation(p: Problem): string {
  const [file = "", pointer = ""] = p.where.split("#");
  const escape = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
  const props = (s: string) => escape(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
  const level = p.severity === "error" ? "error" : "warning";
  return `::${level} file=${props(file)},title=${props(`${p.tool}/${p.rule}`)}::${escape(`${p.message}${pointer ? ` (at #${pointer})` : ""}`)}`;
}
