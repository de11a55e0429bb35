// Classifies the changes between two bundled descriptions with api-smart-diff (offline): breaking,
// non-breaking, deprecated, annotation (docs only) or unclassified, each with where it happened.
import { apiCompare } from "api-smart-diff";

export type ChangeClass =
  "breaking" | "non-breaking" | "deprecated" | "annotation" | "unclassified";

export interface Change {
  type: ChangeClass;
  action: string;
  /** JSON path of the change, e.g. `paths › /orders › get › parameters › 2`. */
  where: string;
  description: string;
}

const ORDER: ChangeClass[] = [
  "breaking",
  "deprecated",
  "non-breaking",
  "unclassified",
  "annotation",
];

export function diffDescriptions(before: object, after: object): Change[] {
  const { diffs } = apiCompare(before, after);
  return (
    diffs
      // Component-level entries repeat what the operations (and webhooks) that use them report,
      // classified without knowing whether the schema is read or written: keep the usages' view.
      .filter((d) => d.path[0] !== "components")
      .map((d) => ({
        type: d.type as ChangeClass,
        action: String(d.action),
        where: d.path.map(String).join(" › "),
        description: (d.description ?? "").replace(/\s+/g, " ").trim() || `[${d.action}]`,
      }))
      .sort(
        (a, b) => ORDER.indexOf(a.type) - ORDER.indexOf(b.type) || a.where.localeCompare(b.where),
      )
  );
}

export function countByClass(changes: readonly Change[]): Record<ChangeClass, number> {
  const counts = Object.fromEntries(ORDER.map((c) => [c, 0])) as Record<ChangeClass, number>;
  for (const c of changes) counts[c.type]++;
  return counts;
}
