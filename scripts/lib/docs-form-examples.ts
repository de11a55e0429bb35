// Form bodies whose nested values travel in PHP's bracket notation (`line_items[0][product_id]=30`),
// marked `x-form-nesting: php-brackets` on their media type. OpenAPI has no encoding style for an
// array of objects, so Redoc would print such an example's arrays as `[object Object]`; the docs
// show the example as the form's fields instead, decoded, one per line. Docs only: the bundle keeps
// the example as an object, validated against its schema like every other.
import type { OverlayAction } from "./overlays.js";
import { deref, refTarget } from "./refs.js";

type Doc = Record<string, unknown>;

export const PHP_BRACKETS = "php-brackets";

/** `key=value` lines, nested keys in brackets (array elements by index), as PHP reads the form. */
export function phpBracketFields(value: Doc): string {
  const lines: string[] = [];
  const visit = (v: unknown, key: string) => {
    if (Array.isArray(v)) v.forEach((item, i) => visit(item, `${key}[${i}]`));
    else if (v !== null && typeof v === "object")
      for (const [k, item] of Object.entries(v)) visit(item, `${key}[${k}]`);
    else lines.push(`${key}=${v === null || v === undefined ? "" : String(v)}`);
  };
  for (const [key, v] of Object.entries(value)) visit(v, key);
  return lines.join("\n");
}

const NOTE =
  "Shown decoded, one field per line: the body sends these fields form-encoded and joined with `&`.";

/**
 * Overlay actions that replace the examples of every php-brackets form media type under `at` (a
 * request body, by JSONPath) with their field lists.
 */
export function phpBracketExampleActions(
  doc: Doc,
  requestBody: unknown,
  at: string,
): OverlayAction[] {
  // A request body that is a $ref is changed where it is defined.
  const { node, pointer } = refTarget(doc, requestBody);
  if (pointer !== undefined)
    at = `$${pointer
      .split("/")
      .slice(1)
      .map((key) => `['${key.replace(/~1/g, "/").replace(/~0/g, "~")}']`)
      .join("")}`;
  const content = (node.content ?? {}) as Record<string, Doc>;
  const actions: OverlayAction[] = [];
  for (const [mediaType, media] of Object.entries(content)) {
    if (media["x-form-nesting"] !== PHP_BRACKETS || !media.examples) continue;
    if (mediaType.includes("'")) throw new Error(`cannot target media type ${mediaType}`);
    const examples: Record<string, Doc> = {};
    for (const [name, example] of Object.entries(media.examples as Record<string, unknown>)) {
      const { summary, description, value } = deref(doc, example);
      if (value === null || typeof value !== "object") continue;
      examples[name] = {
        ...(summary === undefined ? {} : { summary }),
        description: [description, NOTE].filter(Boolean).join("\n\n"),
        value: phpBracketFields(value as Doc),
      };
    }
    const where = `${at}.content['${mediaType}']`;
    actions.push(
      { target: `${where}.examples`, remove: true },
      { target: where, update: { examples } },
    );
  }
  return actions;
}
