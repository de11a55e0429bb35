// House rule: a list operation that takes the vendor's paging parameter documents the vendor's
// paging response headers on its 2xx response, each a $ref to components/headers (never inlined).
// Options: { vendors: [{ server, parameter, headers: { <header name>: <components/headers name> } }] };
// the vendor is the one whose `server` text appears in the document's first server URL.
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

export default function pagingHeaders(doc, options) {
  const url = String(doc?.servers?.[0]?.url ?? "");
  const vendor = (options?.vendors ?? []).find((v) => url.includes(v.server));
  if (!vendor) return [];
  const parameterRef = `#/components/parameters/${vendor.parameter}`;
  const results = [];
  for (const [route, item] of Object.entries(doc.paths ?? {})) {
    if (!item || typeof item !== "object" || "$ref" in item) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!op || !(op.parameters ?? []).some((p) => p?.$ref === parameterRef)) continue;
      const [code, ok] = Object.entries(op.responses ?? {}).find(([c]) => /^2/.test(c)) ?? [];
      for (const [header, component] of Object.entries(vendor.headers)) {
        const ref = ok?.headers?.[header]?.$ref;
        if (ref !== `#/components/headers/${component}`) {
          results.push({
            message: `takes ${vendor.parameter}: document the ${header} response header as $ref: '#/components/headers/${component}'`,
            path: ["paths", route, method, "responses", code ?? "200"],
          });
        }
      }
    }
  }
  return results;
}
