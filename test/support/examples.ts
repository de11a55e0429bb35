// Every example in a bundled description, with the pointer of the schema it must satisfy.
import { esc, type OpenApiDocument } from "./bundled.js";

export interface ExampleCase {
  where: string;
  schemaPointer: string;
  value: unknown;
}

function resolve(doc: OpenApiDocument, node: any): any {
  while (node && typeof node.$ref === "string" && node.$ref.startsWith("#/")) {
    node = node.$ref
      .slice(2)
      .split("/")
      .reduce((n: any, s: string) => n?.[s.replace(/~1/g, "/").replace(/~0/g, "~")], doc);
  }
  return node;
}

function fromMediaOrParam(
  doc: OpenApiDocument,
  owner: any,
  pointer: string,
  out: ExampleCase[],
): void {
  if (!owner?.schema) return;
  const schemaPointer = `${pointer}/schema`;
  if (owner.example !== undefined)
    out.push({ where: `${pointer}/example`, schemaPointer, value: owner.example });
  for (const [name, ex] of Object.entries<any>(owner.examples ?? {})) {
    const example = resolve(doc, ex);
    if (example?.value !== undefined)
      out.push({ where: `${pointer}/examples/${name}`, schemaPointer, value: example.value });
  }
}

export function collectExamples(doc: OpenApiDocument): ExampleCase[] {
  const out: ExampleCase[] = [];
  const walk = (node: any, pointer: string): void => {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${pointer}/${i}`));
    // media types, parameters and headers carry example(s) beside their schema
    if (node.schema && (node.example !== undefined || node.examples))
      fromMediaOrParam(doc, node, pointer, out);
    // schemas carry an `examples` array of instances (JSON Schema 2020-12)
    if (
      Array.isArray(node.examples) &&
      (node.type || node.$ref || node.allOf || node.oneOf || node.anyOf || node.pattern)
    ) {
      node.examples.forEach((value: unknown, i: number) =>
        out.push({ where: `${pointer}/examples/${i}`, schemaPointer: pointer, value }),
      );
    }
    for (const [key, child] of Object.entries(node)) {
      // Example payloads are data, not description: never read them as schemas.
      if (key === "example" || key === "examples" || key.startsWith("x-")) continue;
      walk(child, `${pointer}/${esc(key)}`);
    }
  };
  walk(doc, "");
  return out;
}
