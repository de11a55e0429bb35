// A small YAML writer for JSON data (the overlay): block mappings and sequences, strings plain
// when YAML would read them back as the same string and double-quoted (JSON escapes) otherwise.
// The package ships no YAML library at run time; JSON is valid YAML, but an overlay is for
// people to review.
type Json = any;

const PLAIN = /^[A-Za-z_/$#.][A-Za-z0-9_ ./$#(){}\-,'…@&=+]*$/;
const RESERVED = /^(?:true|false|yes|no|on|off|null|~|y|n)$/i;

function scalar(value: Json): string {
  if (value === null) return "null";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const text = String(value);
  const plain =
    text !== "" &&
    PLAIN.test(text) &&
    !RESERVED.test(text) &&
    !/[:#] |[: ]$|^ |\s#/.test(text) &&
    !/^[-?:,[\]{}#&*!|>'"%@`]/.test(text);
  return plain ? text : JSON.stringify(text);
}

const isObject = (v: unknown): v is Record<string, Json> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function lines(value: Json, indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) {
      if (
        (isObject(item) && Object.keys(item).length > 0) ||
        (Array.isArray(item) && item.length > 0)
      ) {
        const nested: string[] = [];
        lines(item, `${indent}  `, nested);
        out.push(`${indent}- ${nested[0]!.trimStart()}`, ...nested.slice(1));
      } else out.push(`${indent}- ${inline(item)}`);
    }
    return;
  }
  for (const [key, item] of Object.entries(value as Record<string, Json>)) {
    if (
      (isObject(item) && Object.keys(item).length > 0) ||
      (Array.isArray(item) && item.length > 0)
    ) {
      out.push(`${indent}${scalar(key)}:`);
      lines(item, `${indent}  `, out);
    } else out.push(`${indent}${scalar(key)}: ${inline(item)}`);
  }
}

const inline = (value: Json) =>
  Array.isArray(value) ? "[]" : isObject(value) ? "{}" : scalar(value);

export function toYaml(value: Json): string {
  const out: string[] = [];
  lines(value, "", out);
  return `${out.join("\n")}\n`;
}
