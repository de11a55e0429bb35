// What the tests read from the bundled descriptions' `webhooks` sections: each webhook's name,
// body schema pointer, media type and payload (its example, or one openapi-sampler builds from the
// schema), and, for Hiboutik, the form shape a payload must have (derived from the schema, to
// compare with what the parser enforces).
import { sample } from "openapi-sampler";
import { esc, loadBundle, type OpenApiDocument } from "../../support/bundled.js";

export interface DescribedWebhook {
  name: string;
  mediaType: string;
  /** JSON pointer of the body schema in the bundle. */
  schemaPointer: string;
  /** The description's example, or undefined. */
  example: unknown;
  /** The example, or a payload openapi-sampler builds from the schema (its required properties). */
  payload: Record<string, unknown>;
  /** Whether `payload` is the description's own example. */
  fromExample: boolean;
}

export function resolve(doc: OpenApiDocument, node: any): any {
  let current = node;
  for (let hops = 0; current && typeof current.$ref === "string" && hops < 20; hops++) {
    current = current.$ref
      .slice(2)
      .split("/")
      .map((s: string) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce((n: any, key: string) => n?.[key], doc);
  }
  return current;
}

export function describedWebhooks(vendor: string): {
  doc: OpenApiDocument;
  webhooks: DescribedWebhook[];
} {
  const doc = loadBundle(vendor);
  const webhooks = Object.entries(doc.webhooks as Record<string, any>).map(([name, item]) => {
    const content = item.post.requestBody.content as Record<string, any>;
    const [mediaType, media] = Object.entries(content)[0]!;
    const exampleNode = media.example ?? Object.values(media.examples ?? {})[0];
    const example =
      exampleNode === undefined
        ? undefined
        : media.example !== undefined
          ? exampleNode
          : resolve(doc, exampleNode).value;
    const schemaPointer = `/webhooks/${esc(name)}/post/requestBody/content/${esc(mediaType)}/schema`;
    const payload =
      example ??
      (sample(media.schema, { skipReadOnly: true, skipNonRequired: true, quiet: true }, doc) as
        Record<string, unknown> | undefined) ??
      {};
    return {
      name,
      mediaType,
      schemaPointer,
      example,
      payload: structuredClone(payload) as Record<string, unknown>,
      fromExample: example !== undefined,
    };
  });
  return { doc, webhooks };
}

export type DerivedShape =
  | "text"
  | { list: DerivedShape }
  | { fields: Record<string, DerivedShape>; required?: string[] }
  | { oneOf: DerivedShape[] };

/** The form shape a schema gives a decoded form: scalars are text, arrays lists, objects fields. */
export function formShapeOf(doc: OpenApiDocument, schemaNode: any): DerivedShape {
  const schema = resolve(doc, schemaNode);
  const types: string[] = Array.isArray(schema.type)
    ? schema.type
    : schema.type
      ? [schema.type]
      : schema.properties
        ? ["object"]
        : [];
  const shapes = types.map((type): DerivedShape => {
    if (type === "array") return { list: formShapeOf(doc, schema.items ?? {}) };
    if (type === "object") {
      const fields = Object.fromEntries(
        Object.entries((schema.properties ?? {}) as Record<string, any>).map(([k, v]) => [
          k,
          formShapeOf(doc, v),
        ]),
      );
      return schema.required?.length ? { fields, required: schema.required } : { fields };
    }
    return "text";
  });
  if (shapes.length === 0) throw new Error(`no type in ${JSON.stringify(schema).slice(0, 200)}`);
  return shapes.length === 1 ? shapes[0]! : { oneOf: shapes };
}

/**
 * A value as PHP's http_build_query writes it: nested arrays and objects in bracket notation
 * (`a[0][b]=1`), numbers as their text, booleans as 1 and 0, null and empty arrays left out.
 */
export function phpForm(fields: Record<string, unknown>): string {
  const form = new URLSearchParams();
  const add = (name: string, value: unknown) => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) value.forEach((item, i) => add(`${name}[${i}]`, item));
    else if (typeof value === "object") {
      for (const [key, item] of Object.entries(value)) add(`${name}[${key}]`, item);
    } else if (typeof value === "boolean") form.append(name, value ? "1" : "0");
    else form.append(name, String(value));
  };
  for (const [name, value] of Object.entries(fields)) add(name, value);
  return form.toString();
}

/** What a form delivers of a value: every scalar as its text (as phpForm writes it). */
export function formText(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(formText);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0))
        .map(([k, v]) => [k, formText(v)]),
    );
  }
  if (typeof value === "boolean") return value ? "1" : "0";
  return String(value);
}
