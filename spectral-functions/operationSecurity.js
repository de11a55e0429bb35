// House rule: every operation says how it is authenticated, by its own `security` or the
// document's. (An explicit `security: []` marks a deliberately public operation.)
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

export default function operationSecurity(doc) {
  const global = Array.isArray(doc?.security) && doc.security.length > 0;
  const results = [];
  for (const [route, item] of Object.entries(doc?.paths ?? {})) {
    if (!item || typeof item !== "object" || "$ref" in item) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (op && !global && !Array.isArray(op.security)) {
        results.push({
          message: "add security to the operation (or a global security requirement)",
          path: ["paths", route, method],
        });
      }
    }
  }
  return results;
}
