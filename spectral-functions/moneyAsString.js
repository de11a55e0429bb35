// House rule: money and decimal amounts travel as patterned strings. A property named like a price,
// amount, total, balance, cost, fee or tax amount may not be a JSON `number`, and when it is a
// string it needs a `pattern` (or an `enum`/`format`). Where a vendor really sends a number, say so
// with `x-wire-number: <why>` on the property.
const MONEY =
  /(^|_)(price|amount|total|subtotal|balance|cost|fee|tax)(_|$)|[a-z](Price|Amount|Total|Balance|Cost|Fee|Tax)([A-Z]|$)|^(price|amount|total|balance|cost|fee|tax)[A-Z]/;
// Names about an amount that are not amounts themselves (labels, ids, codes, flags, …).
const NOT_AN_AMOUNT =
  /(^|_)(id|ids|label|name|code|type|desc|description|enabled|default|position|letter|account|p|conc|percentage|mode|status|currency|number|quantity|rate|included|points|count)$|^(without|charge|prices)_|(Type|Name|Id|Code)$/;

export default function moneyAsString(properties, _options, context) {
  const results = [];
  if (!properties || typeof properties !== "object") return results;
  for (const [name, schema] of Object.entries(properties)) {
    if (!schema || typeof schema !== "object" || !MONEY.test(name) || NOT_AN_AMOUNT.test(name))
      continue;
    if (schema["x-wire-number"]) continue;
    const variants = [
      schema,
      ...(schema.oneOf ?? []),
      ...(schema.anyOf ?? []),
      ...(schema.allOf ?? []),
    ];
    const types = variants.flatMap((s) => [s?.type].flat()).filter(Boolean);
    const at = [...context.path, name];
    if (types.includes("number")) {
      results.push({
        message: `${name} is a JSON number: make it type: string with a pattern (or add x-wire-number: <why> if the vendor really sends a number)`,
        path: at,
      });
    } else if (
      types.includes("string") &&
      !variants.some((s) => s?.pattern || s?.enum || s?.format)
    ) {
      results.push({
        message: `${name} is a string amount without a pattern: add one (e.g. '^-?[0-9]+\\.[0-9]{2}$')`,
        path: at,
      });
    }
  }
  return results;
}
