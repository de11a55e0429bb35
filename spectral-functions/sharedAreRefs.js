// House rule: a parameter (same `in`, `name` and description) or a response header (same name and
// description) written inline in more than one operation must be defined once in components and
// $ref'd from each, so the copies cannot drift apart. Same-named parameters that mean different
// things (their descriptions differ) are different parameters.
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

export default function sharedAreRefs(paths) {
  const seen = new Map(); // key → paths where it is inline
  const note = (key, path) => seen.set(key, [...(seen.get(key) ?? []), path]);
  for (const [route, item] of Object.entries(paths ?? {})) {
    if (!item || typeof item !== "object" || "$ref" in item) continue;
    const pathLevel = (item.parameters ?? []).map((p, i) => [p, [route, "parameters", i]]);
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const params = [
        ...pathLevel,
        ...(op.parameters ?? []).map((p, i) => [p, [route, method, "parameters", i]]),
      ];
      for (const [p, path] of params) {
        if (p && !p.$ref && p.name)
          note(`parameter ${p.in} ${p.name}\u0000${p.description ?? ""}`, path);
      }
      for (const [code, response] of Object.entries(op.responses ?? {})) {
        for (const [header, h] of Object.entries(response?.headers ?? {})) {
          if (h && !h.$ref) {
            note(`response header ${header}\u0000${h.description ?? ""}`, [
              route,
              method,
              "responses",
              code,
              "headers",
              header,
            ]);
          }
        }
      }
    }
  }
  const results = [];
  for (const [key, places] of seen) {
    const operations = new Set(places.map((p) => `${p[0]} ${p[1]}`));
    if (operations.size < 2) continue;
    for (const path of places) {
      const what = key.split("\u0000")[0];
      results.push({
        message: `${what} is written inline in ${operations.size} operations: define it once in components and $ref it`,
        path: ["paths", ...path],
      });
    }
  }
  return results;
}
