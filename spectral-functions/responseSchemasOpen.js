// House rule: every schema a vendor-sent body reaches stays open. `additionalProperties: false` or
// `unevaluatedProperties: false` (or their `{ not: {} }` spelling) on such a schema turns a field the
// vendor adds into a validation failure in every client that validates what it receives.
//
// Vendor-sent bodies are the bodies of operation responses (paths and components/responses) and the
// request bodies of webhooks and callbacks (the vendor POSTs them to the integrator). The bodies we
// send — operation request bodies, and the answers an integrator gives a webhook or callback — may
// stay closed: there the closure documents what the vendor refuses.
//
// The walk follows internal $refs (`#/…`) through every subschema keyword, each schema once (cycles
// end). It runs unresolved: on the bundle every $ref is internal; on the split sources the file
// $refs are not followed, and the rule is enforced on the bundle.
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const CLOSERS = ["additionalProperties", "unevaluatedProperties"];
/** Keywords whose value is one subschema. */
const ONE = [
  "additionalProperties",
  "unevaluatedProperties",
  "items",
  "additionalItems",
  "unevaluatedItems",
  "contains",
  "if",
  "then",
  "else",
  "contentSchema",
];
/** Keywords whose value is a list of subschemas. */
const LIST = ["allOf", "anyOf", "oneOf", "prefixItems", "items"];
/** Keywords whose value maps names to subschemas. */
const MAP = ["properties", "patternProperties", "dependentSchemas"];

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const isClosed = (v) =>
  v === false ||
  (isObject(v) &&
    Object.keys(v).length === 1 &&
    (v.not === true || (isObject(v.not) && Object.keys(v.not).length === 0)));

/** The node an internal $ref points to, with its path; undefined for external or broken refs. */
function resolve(doc, ref) {
  if (typeof ref !== "string" || !ref.startsWith("#")) return undefined;
  const path = ref
    .slice(1)
    .split("/")
    .slice(1)
    .map((t) => decodeURIComponent(t).replace(/~1/g, "/").replace(/~0/g, "~"));
  let node = doc;
  for (const token of path) {
    if (node === null || typeof node !== "object" || !(token in node)) return undefined;
    node = node[token];
  }
  return { node, path };
}

/** Follows a chain of $refs (responses, request bodies, path items, callbacks). */
function deref(doc, node, path, seen = new Set()) {
  while (isObject(node) && typeof node.$ref === "string") {
    if (seen.has(node)) return undefined;
    seen.add(node);
    const target = resolve(doc, node.$ref);
    if (!target) return undefined;
    ({ node, path } = target);
  }
  return isObject(node) ? { node, path } : undefined;
}

export default function responseSchemasOpen(doc) {
  if (!isObject(doc)) return [];
  const results = [];
  const visited = new Set(); // schema objects already walked

  const walkSchema = (schema, path, origin) => {
    if (!isObject(schema) || visited.has(schema)) return;
    visited.add(schema);
    // Each schema is walked once, so each closure is reported once (for the first body reaching it).
    for (const keyword of CLOSERS) {
      if (!isClosed(schema[keyword])) continue;
      const closure = `${keyword}: ${JSON.stringify(schema[keyword])}`;
      results.push({
        message:
          `\`${closure}\` on a schema that ${origin} reaches: remove it, so that a field the vendor ` +
          `adds cannot break a validating client; if a body the client sends shares this schema, ` +
          `give that body its own closed variant`,
        path: [...path, keyword],
      });
    }
    if (typeof schema.$ref === "string") {
      const target = resolve(doc, schema.$ref);
      if (target) walkSchema(target.node, target.path, origin);
    }
    for (const keyword of ONE) {
      if (isObject(schema[keyword])) walkSchema(schema[keyword], [...path, keyword], origin);
    }
    for (const keyword of LIST) {
      if (Array.isArray(schema[keyword]))
        schema[keyword].forEach((s, i) => walkSchema(s, [...path, keyword, i], origin));
    }
    for (const keyword of MAP) {
      if (isObject(schema[keyword]))
        for (const [name, s] of Object.entries(schema[keyword]))
          walkSchema(s, [...path, keyword, name], origin);
    }
    // A discriminator's mapping names schemas by $ref, which oneOf/anyOf may not list.
    if (isObject(schema.discriminator?.mapping)) {
      for (const ref of Object.values(schema.discriminator.mapping)) {
        const target = resolve(doc, ref);
        if (target) walkSchema(target.node, target.path, origin);
      }
    }
  };

  /** A response or request body: its media types' schemas. */
  const walkBody = (body, path, origin) => {
    const found = deref(doc, body, path);
    if (!found || !isObject(found.node.content)) return;
    for (const [type, media] of Object.entries(found.node.content)) {
      if (isObject(media) && "schema" in media)
        walkSchema(media.schema, [...found.path, "content", type, "schema"], origin);
    }
  };

  /**
   * An operation. `incoming` is what the vendor sends there: the responses of an API operation, the
   * request body of a webhook or callback operation (whose responses are the integrator's answer).
   */
  const walkOperation = (op, path, label, incoming) => {
    if (!isObject(op)) return;
    if (incoming === "responses" && isObject(op.responses)) {
      for (const [code, response] of Object.entries(op.responses))
        walkBody(response, [...path, "responses", code], `the ${code} response of ${label}`);
    }
    if (incoming === "requestBody" && op.requestBody)
      walkBody(
        op.requestBody,
        [...path, "requestBody"],
        `the request body of ${label} (sent by the vendor)`,
      );
    if (isObject(op.callbacks)) {
      for (const [name, callback] of Object.entries(op.callbacks)) {
        const found = deref(doc, callback, [...path, "callbacks", name]);
        if (!found) continue;
        for (const [expression, item] of Object.entries(found.node))
          walkPathItem(
            item,
            [...found.path, expression],
            `callback ${name} of ${label}`,
            "requestBody",
          );
      }
    }
  };

  const walkPathItem = (item, path, label, incoming) => {
    const found = deref(doc, item, path);
    if (!found) return;
    for (const method of METHODS) {
      if (isObject(found.node[method]))
        walkOperation(
          found.node[method],
          [...found.path, method],
          `${method.toUpperCase()} ${label}`,
          incoming,
        );
    }
  };

  for (const [route, item] of Object.entries(isObject(doc.paths) ? doc.paths : {}))
    walkPathItem(item, ["paths", route], route, "responses");
  for (const [name, item] of Object.entries(isObject(doc.webhooks) ? doc.webhooks : {}))
    walkPathItem(item, ["webhooks", name], `webhook ${name}`, "requestBody");
  const responses = doc.components?.responses;
  for (const [name, response] of Object.entries(isObject(responses) ? responses : {}))
    walkBody(response, ["components", "responses", name], `components/responses/${name}`);
  return results;
}
