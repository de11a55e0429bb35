// The overlay `--overlay` writes: an OpenAPI Overlay 1.0 document whose actions would make the
// description accept what the traffic showed, for a person to review (it is never applied by
// verify). Targets are JSONPaths into the bundle (generated/<vendor>/openapi.json), at the node
// each finding came from (a component schema, an operation's responses):
// - undocumented field (and a field a closed schema refused): the property added, its schema
//   inferred from the types seen (names and types only); a map's keys: `additionalProperties`;
// - undocumented status: the response added (its body's inferred schema when it had JSON);
// - undocumented header: the header added to the response (type string);
// - enum: the values seen added to the list (enum values are schema facts: they are printed);
// - type: the types seen added; required: the property taken out of `required`;
// - pattern, format and other bounds: the keyword removed (to be replaced by a right one).
// A list (enum, type, required) is changed by removing it and setting it whole again: Overlay
// 1.0 appends an `update` to an array target, and implementations differ on merging arrays.
// Each action's description cites its findings: kind, operation, pattern, count.
import type { Json } from "../sandbox/description.js";
import type { FindingGroup } from "./collector.js";
import { type Inferred, mergeInferred, toSchema } from "./infer.js";
import { jsonPathOf, segmentsOf } from "./pointers.js";

export interface OverlayAction {
  target: string;
  description: string;
  update?: Json;
  remove?: true;
}

export interface OverlayDocument {
  overlay: "1.0.0";
  info: { title: string; version: string };
  actions: OverlayAction[];
}

interface TargetChanges {
  properties: Map<string, { inferred: Inferred | undefined; cites: string[] }>;
  map: { inferred: Inferred | undefined; cites: string[] } | undefined;
  enumValues: { values: unknown[]; cites: string[] } | undefined;
  types: { types: Set<string>; cites: string[] } | undefined;
  dropRequired: { names: Set<string>; cites: string[] } | undefined;
  removeKeywords: Map<string, string[]>;
  responses: Map<string, { inferred: Inferred | undefined; headers: Set<string>; cites: string[] }>;
  headers: Map<string, string[]>;
}

function at(doc: Json, pointer: string): Json {
  let node = doc;
  for (const segment of segmentsOf(pointer)) node = node?.[segment];
  return node;
}

const cite = (g: FindingGroup) =>
  `${g.kind} ${g.pattern || "(body)"} in ${g.operationId ?? `${g.method} ${g.path}`} (${g.count}×)`;

const isObjectSchema = (node: Json) =>
  node?.properties !== undefined ||
  node?.type === "object" ||
  (Array.isArray(node?.type) && node.type.includes("object"));

/**
 * The schema to add a property to: the node itself when it describes an object, else the one
 * object schema it applies in place (`{$ref}` with siblings, `allOf`, `anyOf: [X, null]`); when
 * there are several, the node itself (a `properties` beside them is valid JSON Schema).
 */
function objectTarget(doc: Json, pointer: string, depth = 0): string {
  const node = at(doc, pointer);
  if (!node || typeof node !== "object" || isObjectSchema(node) || depth > 8) return pointer;
  const members: string[] = [];
  if (typeof node.$ref === "string") members.push(node.$ref);
  for (const k of ["allOf", "anyOf", "oneOf"])
    if (Array.isArray(node[k]))
      node[k].forEach((m: Json, i: number) =>
        members.push(typeof m?.$ref === "string" ? m.$ref : `${pointer}/${k}/${i}`),
      );
  const objects = members.filter((m) => {
    const n = at(doc, m);
    return isObjectSchema(n) || n?.$ref || n?.allOf || n?.anyOf || n?.oneOf;
  });
  return objects.length === 1 ? objectTarget(doc, objects[0]!, depth + 1) : pointer;
}

const headerName = (lower: string) =>
  lower.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());

const headerObjects = (names: Iterable<string>, seen: string) =>
  Object.fromEntries(
    [...names]
      .sort()
      .map((name) => [
        headerName(name),
        { description: `Undocumented: ${seen}.`, schema: { type: "string" } },
      ]),
  );

export function buildOverlay(
  doc: Json,
  groups: readonly FindingGroup[],
  info: { vendor: string; title: string; date: string; files: number },
): OverlayDocument {
  const changes = new Map<string, TargetChanges>();
  const changesAt = (pointer: string): TargetChanges => {
    let c = changes.get(pointer);
    if (!c) {
      c = {
        properties: new Map(),
        map: undefined,
        enumValues: undefined,
        types: undefined,
        dropRequired: undefined,
        removeKeywords: new Map(),
        responses: new Map(),
        headers: new Map(),
      };
      changes.set(pointer, c);
    }
    return c;
  };
  const operationPointer = (g: FindingGroup) =>
    `#/paths/${g.path.replace(/~/g, "~0").replace(/\//g, "~1")}/${g.method.toLowerCase()}`;

  for (const g of groups) {
    // A finding's schemaPath is its keyword's (`…/OrderStatus/enum`, `…/responses/200/headers`):
    // the node to change is the one holding it.
    const where = g.schemaPath?.slice(0, g.schemaPath.lastIndexOf("/"));
    switch (g.kind) {
      case "undocumented-field": {
        // Closed by the description (additionalProperties: false) or open (the strict pass).
        if (!where || g.property === undefined) break;
        const c = changesAt(objectTarget(doc, where));
        if (g.property === "*") {
          c.map ??= { inferred: undefined, cites: [] };
          c.map.cites.push(cite(g));
          // The values of the map's entries.
          if (g.inferred) c.map.inferred = mergeInferred(c.map.inferred, g.inferred);
        } else {
          const p = c.properties.get(g.property) ?? { inferred: undefined, cites: [] };
          p.cites.push(cite(g));
          p.inferred ??= g.inferred;
          c.properties.set(g.property, p);
        }
        break;
      }
      case "undocumented-status": {
        const c = changesAt(operationPointer(g));
        for (const status of g.statuses) {
          const r = c.responses.get(String(status)) ?? {
            inferred: undefined,
            headers: new Set(),
            cites: [],
          };
          r.cites.push(cite(g));
          r.inferred ??= g.inferred;
          for (const h of g.headers ?? []) r.headers.add(h);
          c.responses.set(String(status), r);
        }
        break;
      }
      case "undocumented-header":
        if (where && g.header) {
          const c = changesAt(where);
          c.headers.set(g.header, [...(c.headers.get(g.header) ?? []), cite(g)]);
        }
        break;
      case "enum":
        if (where) {
          const c = changesAt(where);
          if (g.enumOverflow)
            c.removeKeywords.set("enum", [
              ...(c.removeKeywords.get("enum") ?? []),
              `${cite(g)}: more distinct values than an enum lists`,
            ]);
          else {
            c.enumValues ??= { values: [], cites: [] };
            for (const v of g.enumValues ?? [])
              if (!c.enumValues.values.includes(v)) c.enumValues.values.push(v);
            c.enumValues.cites.push(cite(g));
          }
        }
        break;
      case "pattern":
        // `pattern`, or `format` (date-time, uri…).
        if (where) {
          const c = changesAt(where);
          c.removeKeywords.set(g.rule, [...(c.removeKeywords.get(g.rule) ?? []), cite(g)]);
        }
        break;
      case "schema": {
        if (!where) break;
        if (g.rule === "type") {
          const c = changesAt(where);
          c.types ??= { types: new Set(), cites: [] };
          for (const t of g.types ?? []) c.types.types.add(t);
          c.types.cites.push(cite(g));
        } else if (g.rule === "required") {
          if (g.property === undefined) break;
          const c = changesAt(where);
          c.dropRequired ??= { names: new Set(), cites: [] };
          c.dropRequired.names.add(g.property);
          c.dropRequired.cites.push(cite(g));
        } else if (!["anyOf", "oneOf", "not", "if", "content", "false schema"].includes(g.rule)) {
          // format, const, minimum, maxLength, minItems…: the keyword goes.
          const c = changesAt(where);
          c.removeKeywords.set(g.rule, [...(c.removeKeywords.get(g.rule) ?? []), cite(g)]);
        }
        break;
      }
      default:
        // unknown paths, media types, evidence: for the report, not the overlay.
        break;
    }
  }

  const seen = `seen in recorded traffic (commerce-openapi verify, ${info.date})`;
  const actions: OverlayAction[] = [];
  for (const [pointer, c] of [...changes].sort(([a], [b]) => a.localeCompare(b))) {
    const node = at(doc, pointer);
    const path = jsonPathOf(pointer, doc);
    if (c.properties.size > 0) {
      const props = Object.fromEntries(
        [...c.properties].map(([name, p]) => [
          name,
          { ...(p.inferred ? toSchema(p.inferred) : {}), description: `Undocumented: ${seen}.` },
        ]),
      );
      const description = `Add ${[...c.properties.keys()].join(", ")}: ${[...c.properties.values()].flatMap((p) => p.cites).join("; ")}`;
      actions.push(
        node?.properties
          ? { target: `${path}.properties`, description, update: props }
          : { target: path, description, update: { properties: props } },
      );
    }
    if (c.map) {
      actions.push({
        target: path,
        description: `A map keyed by data (its keys not printed): ${c.map.cites.join("; ")}`,
        update: { additionalProperties: c.map.inferred ? toSchema(c.map.inferred) : {} },
      });
    }
    if (c.enumValues && Array.isArray(node?.enum)) {
      actions.push({
        target: `${path}.enum`,
        description: `Replaced whole by the next action (${c.enumValues.cites.join("; ")})`,
        remove: true,
      });
      actions.push({
        target: path,
        description: `List the enum values the API sent (schema facts, not data): ${c.enumValues.cites.join("; ")}`,
        update: {
          enum: [...node.enum, ...c.enumValues.values.filter((v) => !node.enum.includes(v))],
        },
      });
    }
    if (c.types && node?.type !== undefined) {
      const existing: string[] = Array.isArray(node.type) ? node.type : [node.type];
      const added = [...c.types.types].filter(
        (t) => !existing.includes(t) && !(t === "integer" && existing.includes("number")),
      );
      if (added.length > 0) {
        actions.push({
          target: `${path}.type`,
          description: `Replaced whole by the next action (${c.types.cites.join("; ")})`,
          remove: true,
        });
        actions.push({
          target: path,
          description: `Accept the types the API sent: ${c.types.cites.join("; ")}`,
          update: { type: [...existing, ...added] },
        });
      }
    }
    if (c.dropRequired && Array.isArray(node?.required)) {
      const rest = node.required.filter((n: string) => !c.dropRequired!.names.has(n));
      actions.push({
        target: `${path}.required`,
        description: `No longer require ${[...c.dropRequired.names].join(", ")}, which the API left out: ${c.dropRequired.cites.join("; ")}`,
        remove: true,
      });
      if (rest.length > 0)
        actions.push({
          target: path,
          description: `The required properties the API always sent`,
          update: { required: rest },
        });
    }
    for (const [keyword, cites] of [...c.removeKeywords].sort(([a], [b]) => a.localeCompare(b))) {
      if (node?.[keyword] === undefined) continue;
      actions.push({
        target: `${path}.${keyword}`,
        description: `Relax: the API sent values this ${keyword} refuses; review and replace: ${cites.join("; ")}`,
        remove: true,
      });
    }
    if (c.responses.size > 0) {
      const responses = Object.fromEntries(
        [...c.responses]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([status, r]) => [
            status,
            {
              description: `Undocumented: ${seen}. Describe it.`,
              ...(r.headers.size > 0 ? { headers: headerObjects(r.headers, seen) } : {}),
              ...(r.inferred
                ? { content: { "application/json": { schema: toSchema(r.inferred) } } }
                : {}),
            },
          ]),
      );
      actions.push({
        target: `${path}.responses`,
        description: `Add status ${[...c.responses.keys()].join(", ")}: ${[...c.responses.values()].flatMap((r) => r.cites).join("; ")}`,
        update: responses,
      });
    }
    if (c.headers.size > 0) {
      const headers = headerObjects(c.headers.keys(), seen);
      const description = `Add header ${[...c.headers.keys()].sort().map(headerName).join(", ")}: ${[...c.headers.values()].flat().join("; ")}`;
      actions.push(
        node?.headers
          ? { target: `${path}.headers`, description, update: headers }
          : { target: path, description, update: { headers } },
      );
    }
  }
  return {
    overlay: "1.0.0",
    info: {
      title: `${info.title}: changes proposed from recorded traffic (${info.files} recording${info.files === 1 ? "" : "s"}, ${info.date}), for review`,
      version: info.date,
    },
    actions,
  };
}
