// `--json`: the result as data, for CI and scripts. Each finding group carries DriftFinding's
// fields (kind, operationId, method, path, status, pointer, rule, message, schemaPath; `pointer`
// is the first one seen, indices kept, map keys as `*`), its count, pattern, statuses, files and
// facts (the property, the types seen, enum values not listed, the inferred schema).
import { toSchema } from "./infer.js";
import type { VerifyResult } from "./verifier.js";

export function resultJson(result: VerifyResult, exitCode: number) {
  return {
    vendor: result.vendor,
    description: result.description,
    exitCode,
    exchanges: result.exchanges,
    matched: result.matched,
    errors: result.errors,
    files: result.files.map((f) => ({
      ...f,
      first: f.first === undefined ? undefined : new Date(f.first).toISOString(),
      last: f.last === undefined ? undefined : new Date(f.last).toISOString(),
    })),
    exchangesByOperation: result.exchangesByOperation,
    findings: result.groups.map((g) => ({
      kind: g.kind,
      severity: g.severity,
      operationId: g.operationId ?? null,
      method: g.method,
      path: g.path,
      status: g.statuses[0],
      statuses: g.statuses,
      pointer: g.example,
      pattern: g.pattern,
      rule: g.rule,
      message: g.message,
      schemaPath: g.schemaPath ?? null,
      count: g.count,
      files: g.files.map((i) => result.files[i]?.name),
      firstSeen: {
        file: result.files[g.firstSeen.file]?.name,
        [result.files[g.firstSeen.file]?.format === "har" ? "entry" : "line"]: g.firstSeen.at,
      },
      ...(g.property === undefined ? {} : { property: g.property }),
      ...(g.types === undefined ? {} : { types: g.types }),
      ...(g.enumValues === undefined
        ? {}
        : { enumValues: g.enumValues, enumOverflow: g.enumOverflow ?? false }),
      ...(g.inferred === undefined ? {} : { inferredSchema: toSchema(g.inferred) }),
    })),
    limits: result.limits,
  };
}
