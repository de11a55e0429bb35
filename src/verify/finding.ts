// What verify finds, one exchange at a time, before findings are grouped (collector.ts): the
// fields of DriftFinding (operation, status, pointer into the body, schema rule, message, the
// failing keyword's place in the description), and the facts an overlay needs: the JSON types
// seen, the enum value seen, the name missing or added. Facts are schema facts: types and names,
// never a value, except the value an `enum` finding proposes to list (an enum value is what the
// schema is made of).
import type { DriftFinding, DriftKind } from "../core/drift/findings.js";

export type FindingKind =
  | DriftKind
  /** A path (or method) no operation has. */
  | "unknown-path"
  /** A body in a media type the response does not list (an HTML error page…). */
  | "undocumented-media-type"
  /** An operation marked `x-evidence: inferred`, seen answering in real traffic. */
  | "evidence";

export type Severity = "error" | "info";

/**
 * A DriftFinding (src/core/drift/findings.ts: the clients' runtime findings have the same shape),
 * with verify's own kinds, no operation for an unknown path, and the facts the overlay needs.
 */
export interface Finding extends Omit<DriftFinding, "kind" | "operationId"> {
  kind: FindingKind;
  /** Undefined for an unknown path (`path` is then its pattern, ids taken out). */
  operationId: string | undefined;
  facts?: FindingFacts;
}

export interface FindingFacts {
  /** The JSON type of the value (type findings, undocumented statuses' bodies). */
  type?: string;
  /** The value an enum did not list. */
  enumValue?: string | number | boolean | null;
  /** The property: missing (required) or undocumented. */
  property?: string;
  /** An undocumented status's headers that are not standard ones (names, lower case). */
  headers?: string[];
  /** The undocumented field's or status body's value, to infer a schema from (never printed). */
  sample?: unknown;
}

/**
 * Errors make `verify` exit non-zero; the rest inform. An unknown path is an error when the
 * vendor answered it with a success or a redirect (an operation the description lacks), and
 * informational when it refused it (4xx, 5xx: the vendor may not know it either).
 */
export function severityOf(kind: FindingKind, status: number): Severity {
  switch (kind) {
    case "schema":
    case "enum":
    case "pattern":
    case "undocumented-status":
      return "error";
    case "unknown-path":
      return status < 400 ? "error" : "info";
    default:
      return "info";
  }
}
