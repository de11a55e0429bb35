// The description a sandbox serves: the committed bundle (generated/<vendor>/openapi.json, shipped
// in the package next to dist/), read once, with its operations indexed: method, path template,
// parameters and body with their $refs resolved, and the JSON pointer of every schema, so that the
// validators compile schemas in place (their own $refs then resolve against the whole document).
import { readFileSync } from "node:fs";

/** A node of a parsed JSON document. */
export type Json = any;

export type Method = "get" | "put" | "post" | "delete" | "patch";
const METHODS: readonly Method[] = ["get", "put", "post", "delete", "patch"];

export interface ParameterSpec {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required: boolean;
  /** The resolved schema, and its JSON pointer in the document. */
  schema: Json;
  schemaPointer: string;
  style: string;
  explode: boolean;
}

export interface MediaSpec {
  schema: Json | undefined;
  schemaPointer: string | undefined;
}

export interface OperationSpec {
  operationId: string;
  method: Method;
  /** The path template, as the description writes it (`/locations/{location_id}/orders`). */
  template: string;
  /** The operation object's JSON pointer (`#/paths/~1location/get`). */
  pointer: string;
  parameters: ParameterSpec[];
  body: { required: boolean; content: Record<string, MediaSpec> } | undefined;
  /** Responses by status (`200`, `4XX`, `default`): their content by media type. */
  responses: Record<string, { content: Record<string, MediaSpec & { example: Json }> }>;
  evidence: "confirmed" | "inferred" | undefined;
}

export interface Description {
  vendor: string;
  doc: Json;
  /** The first server's path (`/v1`, `/api`): what precedes every path template. */
  basePath: string;
  operations: OperationSpec[];
  operation(operationId: string): OperationSpec;
  /** Follows `$ref`s (internal ones: the bundle has no other) to the node, and its pointer. */
  resolve(node: Json, pointer: string): { node: Json; pointer: string };
}

const cache = new Map<string, Description>();

/** The bundled description of `vendor` (`hubrise`, …), read once per process. */
export function loadDescription(vendor: string): Description {
  let description = cache.get(vendor);
  if (description === undefined) {
    const file = new URL(`../../generated/${vendor}/openapi.json`, import.meta.url);
    description = indexDescription(vendor, JSON.parse(readFileSync(file, "utf8")));
    cache.set(vendor, description);
  }
  return description;
}

const escape = (segment: string) => segment.replace(/~/g, "~0").replace(/\//g, "~1");

function at(doc: Json, pointer: string): Json {
  let node = doc;
  for (const raw of pointer.replace(/^#\//, "").split("/")) {
    node = node?.[raw.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return node;
}

export function indexDescription(vendor: string, doc: Json): Description {
  const resolve = (node: Json, pointer: string) => {
    // A bundle's $refs are internal; a chain longer than this is a cycle.
    for (let hops = 0; typeof node?.$ref === "string" && hops < 32; hops++) {
      pointer = node.$ref;
      node = at(doc, pointer);
    }
    return { node, pointer };
  };
  const media = (content: Json, pointer: string): Record<string, MediaSpec & { example: Json }> =>
    Object.fromEntries(
      Object.entries((content ?? {}) as Record<string, Json>).map(([type, m]) => {
        const at = `${pointer}/${escape(type)}`;
        const schema = m.schema === undefined ? undefined : resolve(m.schema, `${at}/schema`);
        const firstExample = m.examples ? Object.values(m.examples)[0] : undefined;
        const example =
          m.example ?? (firstExample ? resolve(firstExample, "").node?.value : undefined);
        return [type, { schema: schema?.node, schemaPointer: schema?.pointer, example }];
      }),
    );

  const operations: OperationSpec[] = [];
  for (const [template, rawItem] of Object.entries(doc.paths ?? {}) as [string, Json][]) {
    const itemPointer = `#/paths/${escape(template)}`;
    const { node: item } = resolve(rawItem, itemPointer);
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const pointer = `${itemPointer}/${method}`;
      const byKey = new Map<string, ParameterSpec>();
      const add = (list: Json[] | undefined, listPointer: string) =>
        (list ?? []).forEach((raw, i) => {
          const { node: p, pointer: pPointer } = resolve(raw, `${listPointer}/${i}`);
          const schema = resolve(p.schema ?? {}, `${pPointer}/schema`);
          const style = p.style ?? (p.in === "query" || p.in === "cookie" ? "form" : "simple");
          byKey.set(`${p.in}:${p.name}`, {
            name: p.name,
            in: p.in,
            required: p.required === true || p.in === "path",
            schema: schema.node,
            schemaPointer: schema.pointer,
            style,
            explode: p.explode ?? style === "form",
          });
        });
      add(item.parameters, `${itemPointer}/parameters`);
      add(op.parameters, `${pointer}/parameters`);
      let body: OperationSpec["body"];
      if (op.requestBody) {
        const { node: rb, pointer: rbPointer } = resolve(op.requestBody, `${pointer}/requestBody`);
        body = {
          required: rb.required === true,
          content: media(rb.content, `${rbPointer}/content`),
        };
      }
      const responses: OperationSpec["responses"] = {};
      for (const [status, raw] of Object.entries((op.responses ?? {}) as Record<string, Json>)) {
        const { node: r, pointer: rPointer } = resolve(raw, `${pointer}/responses/${status}`);
        responses[status] = { content: media(r.content, `${rPointer}/content`) };
      }
      const evidence = op["x-evidence"]?.level ?? op["x-evidence"];
      operations.push({
        operationId: op.operationId,
        method,
        template,
        pointer,
        parameters: [...byKey.values()],
        body,
        responses,
        evidence: evidence === "confirmed" || evidence === "inferred" ? evidence : undefined,
      });
    }
  }
  const byId = new Map(operations.map((op) => [op.operationId, op]));
  const server = doc.servers?.[0]?.url ?? "/";
  // `https://{account}.hiboutik.com/api` → `/api`: the variables are in the host.
  const basePath = new URL(server.replace(/\{[^}]*\}/g, "x"), "http://x").pathname.replace(
    /\/$/,
    "",
  );
  return {
    vendor,
    doc,
    basePath,
    operations,
    operation(operationId) {
      const op = byId.get(operationId);
      if (!op) throw new Error(`${vendor}: no operation ${operationId} in the description`);
      return op;
    },
    resolve,
  };
}
