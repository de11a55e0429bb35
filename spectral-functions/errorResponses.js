// House rule: every operation documents 401, 429 and at least one 5xx, each as a $ref to one of the
// vendor's shared responses (#/components/responses/…), so clients and docs see one error shape.
// An operation served by another host (its own `servers`, e.g. an OAuth token endpoint) documents
// that host's errors: only their presence is required there.
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

export default function errorResponses(paths) {
  const results = [];
  for (const [route, item] of Object.entries(paths ?? {})) {
    if (!item || typeof item !== "object" || "$ref" in item) continue; // unbundled source: see the bundle
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const responses = op.responses ?? {};
      const at = ["paths", route, method, "responses"];
      const otherHost = Array.isArray(op.servers) && op.servers.length > 0;
      const wanted = [
        ["401", responses["401"]],
        ["429", responses["429"]],
        ["5xx", Object.entries(responses).find(([code]) => /^5(\d\d|XX)$/i.test(code))?.[1]],
      ];
      for (const [code, response] of wanted) {
        if (!response) {
          results.push({
            message: `document a ${code} response ($ref: '#/components/responses/<Name>')`,
            path: at,
          });
        } else if (
          !otherHost &&
          !String(response.$ref ?? "").startsWith("#/components/responses/")
        ) {
          results.push({
            message: `make the ${code} response a $ref to the vendor's shared response in components/responses`,
            path: at,
          });
        }
      }
    }
  }
  return results;
}
