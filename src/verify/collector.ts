// Findings grouped as the summary, the JSON, the overlay and the report show them: by operation,
// kind, rule, place in the description and *pattern* (the body pointer with array indices and
// map keys as `*`), each with its count, its first concrete pointer, the statuses and files it
// was seen in, and the facts the overlay needs (the types seen, enum values, an inferred schema).
// An object of one operation under which more undocumented names appear than a schema would
// list is a map keyed by data: its names fold into one `*` finding (never printed).
import type { Finding, FindingKind, Severity } from "./finding.js";
import { severityOf } from "./finding.js";
import { infer, type Inferred, looksLikeName, mergeInferred } from "./infer.js";
import { VERIFY_LIMITS } from "./limits.js";
import { escapeSegment, generalisePointer } from "./pointers.js";

export type EnumValue = string | number | boolean | null;

export interface FindingGroup {
  kind: FindingKind;
  severity: Severity;
  operationId: string | undefined;
  method: string;
  path: string;
  rule: string;
  message: string;
  schemaPath: string | undefined;
  /** The pointer with array indices and map keys as `*`, or a header's name. */
  pattern: string;
  /** The first pointer seen, array indices kept, map keys as `*` (`/3/items/0/price`). */
  example: string;
  count: number;
  statuses: number[];
  /** Indices of the files it was seen in. */
  files: number[];
  /** Where it was first seen: the file's index and its line (NDJSON) or entry (HAR), from 1. */
  firstSeen: { file: number; at: number };
  /** An undocumented header's name (lower case). */
  header?: string;
  /** The property missing (required) or undocumented; `*` for a map's keys. */
  property?: string;
  /** JSON types seen (type violations; the values of undocumented fields). */
  types?: string[];
  /** Values an enum did not list (at most VERIFY_LIMITS.maxEnumValues; `enumOverflow` past). */
  enumValues?: EnumValue[];
  enumOverflow?: boolean;
  /** Headers an undocumented status came with (names, lower case; standard ones aside). */
  headers?: string[];
  /** The schema inferred from the values seen (undocumented fields and statuses). */
  inferred?: Inferred;
}

interface Keyed {
  operationId: string | undefined;
  method: string;
  path: string;
  kind: string;
  rule: string;
  schemaPath?: string | undefined;
}

const keyOf = (f: Keyed, pattern: string) =>
  `${f.operationId ?? `${f.method} ${f.path}`}\u0000${f.kind}\u0000${f.rule}\u0000${pattern}\u0000${f.schemaPath ?? ""}`;

export class FindingCollector {
  readonly groups = new Map<string, FindingGroup>();
  /** Exchanges matched to each operation (by operationId). */
  readonly exchangesByOperation = new Map<string, number>();
  #keep: (segment: string) => boolean;
  #extraNames = new Set<string>();

  constructor(declaredNames: ReadonlySet<string>) {
    this.#keep = (s) => declaredNames.has(s) || this.#extraNames.has(s);
  }

  seen(operationId: string): void {
    this.exchangesByOperation.set(
      operationId,
      (this.exchangesByOperation.get(operationId) ?? 0) + 1,
    );
  }

  add(finding: Finding, file: number, at: number): void {
    const facts = finding.facts;
    let pattern: string;
    let example = finding.pointer;
    let property = facts?.property;
    if (finding.kind === "undocumented-header") pattern = example = finding.header ?? "";
    else if (finding.pointer === "") pattern = "";
    else if (finding.kind === "undocumented-field" && property !== undefined) {
      if (!looksLikeName(property)) property = "*";
      else this.#extraNames.add(property);
      const parent = finding.pointer.slice(0, finding.pointer.lastIndexOf("/"));
      const name = property === "*" ? "*" : escapeSegment(property);
      pattern = `${generalisePointer(parent, this.#keep)}/${name}`;
      example = `${generalisePointer(parent, this.#keep, true)}/${name}`;
    } else {
      pattern = generalisePointer(finding.pointer, this.#keep);
      example = generalisePointer(finding.pointer, this.#keep, true);
    }

    const key = keyOf(finding, pattern);
    let group = this.groups.get(key);
    if (!group) {
      group = {
        kind: finding.kind,
        severity: severityOf(finding.kind, finding.status),
        operationId: finding.operationId,
        method: finding.method,
        path: finding.path,
        rule: finding.rule,
        // The message names the pointer: the one printed is the example's (map keys as `*`).
        message:
          finding.pointer !== "" && finding.message.startsWith(finding.pointer)
            ? `${example}${finding.message.slice(finding.pointer.length)}`
            : finding.message,
        schemaPath: finding.schemaPath,
        pattern,
        example,
        count: 0,
        statuses: [],
        files: [],
        firstSeen: { file, at },
      };
      if (property !== undefined) group.property = property;
      if (finding.header !== undefined) group.header = finding.header;
      this.groups.set(key, group);
    }
    group.count++;
    if (!group.statuses.includes(finding.status)) {
      group.statuses.push(finding.status);
      // An unknown path is an error once any of its answers says the vendor served it.
      if (severityOf(finding.kind, finding.status) === "error") group.severity = "error";
    }
    if (!group.files.includes(file)) group.files.push(file);
    if (!facts) return;
    if (facts.type !== undefined) {
      group.types ??= [];
      if (!group.types.includes(facts.type)) group.types.push(facts.type);
    }
    if ("enumValue" in facts) {
      group.enumValues ??= [];
      const value = facts.enumValue!;
      if (!group.enumValues.includes(value)) {
        if (group.enumValues.length < VERIFY_LIMITS.maxEnumValues) group.enumValues.push(value);
        else group.enumOverflow = true;
      }
    }
    if (facts.headers) {
      group.headers ??= [];
      for (const h of facts.headers) if (!group.headers.includes(h)) group.headers.push(h);
    }
    if ("sample" in facts) group.inferred = infer(facts.sample, group.inferred);
  }

  /** The groups, maps folded (see above), errors first, then by operation and count. */
  finish(): FindingGroup[] {
    const byParent = new Map<string, FindingGroup[]>();
    for (const group of this.groups.values()) {
      if (group.kind !== "undocumented-field" || group.property === "*") continue;
      const parent = `${group.operationId}\u0000${group.schemaPath}\u0000${group.pattern.slice(0, group.pattern.lastIndexOf("/"))}`;
      const list = byParent.get(parent) ?? [];
      list.push(group);
      byParent.set(parent, list);
    }
    for (const list of byParent.values()) {
      if (list.length <= VERIFY_LIMITS.maxExtraNames) continue;
      const first = list[0]!;
      const folded: FindingGroup = {
        ...first,
        property: "*",
        pattern: `${first.pattern.slice(0, first.pattern.lastIndexOf("/"))}/*`,
        example: first.example.slice(0, first.example.lastIndexOf("/")) + "/*",
        message: `${list.length} distinct property names: a map keyed by data, its keys not printed`,
        count: 0,
        statuses: [],
        files: [],
      };
      delete folded.inferred;
      // Keys that did not look like names already made a `*` group: one group.
      const key = keyOf(first, folded.pattern);
      const existing = this.groups.get(key);
      for (const g of existing ? [...list, existing] : list) {
        folded.count += g.count;
        for (const s of g.statuses) if (!folded.statuses.includes(s)) folded.statuses.push(s);
        for (const f of g.files) if (!folded.files.includes(f)) folded.files.push(f);
        if (g.inferred) folded.inferred = mergeInferred(folded.inferred, g.inferred);
        for (const [key, value] of this.groups) if (value === g) this.groups.delete(key);
      }
      this.groups.set(key, folded);
    }
    return [...this.groups.values()].sort(
      (a, b) =>
        (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1) ||
        (a.operationId ?? `~${a.path}`).localeCompare(b.operationId ?? `~${b.path}`) ||
        a.kind.localeCompare(b.kind) ||
        b.count - a.count ||
        a.pattern.localeCompare(b.pattern),
    );
  }
}
