// House rule: a schema written inline in a path (request body, response, parameter) has at most
// `max` properties; anything larger belongs in components/schemas, where it is named, reused and
// shown once in the docs.
export default function inlineSchemaSize(node, options, context) {
  const max = options?.max ?? 8;
  const results = [];
  const walk = (value, path) => {
    if (!value || typeof value !== "object") return;
    if ("$ref" in value) return;
    if (value.properties && typeof value.properties === "object") {
      const count = Object.keys(value.properties).length;
      if (count > max) {
        results.push({
          message: `inline schema with ${count} properties (max ${max}): move it to components/schemas and $ref it`,
          path,
        });
        return;
      }
    }
    for (const [key, child] of Object.entries(value)) {
      if (key === "example" || key === "examples" || key.startsWith("x-")) continue;
      walk(child, [...path, key]);
    }
  };
  walk(node, context.path);
  return results;
}
