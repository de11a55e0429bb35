// Personal data in recorded bodies (`recordPersonal`), recognised by property name: a recording is
// written long before anyone knows which schema a body fits, and must be safe to share in a pull
// request. A name is compared lower case with `_`, `-` and spaces removed (`first_name`,
// `firstName` and `First-Name` are one name), and is personal when it:
// - contains `email`, `phone`, `mobile` or `fax`, or is `tel`/`telephone`;
// - ends with `firstname`, `lastname`, `middlename`, `fullname`, `givenname`, `familyname`,
//   `maidenname` or `surname`, or is `drivername`, `customername`, `contactname`,
//   `recipientname`, `holdername` or `cardholdername` (a bare `name` is left alone: products,
//   locations and catalogs are named too);
// - contains `address` (`address_1`, `billing_address`, `ip_address`), `street`, `zip`,
//   `postcode` or `postalcode`, or is `city`, `latitude`/`longitude`, `lat`/`lng`/`lon`;
// - contains `birth` (`birth_date`), or is `gender`.
// Only string and number values are treated; an object or a list under such a name (a
// `billing_address` object) is walked, its own fields judged by their names. Names ending in `id`
// or `ids` (`address_id`) are references, not data, and are kept. Free text (`customer_notes`)
// is not recognised: it may still hold what a person wrote.
//
// Web standards only: the hashes are SHA-256 through Web Crypto.

export type PersonalFieldsMode = "keep" | "drop" | "hash";

const CONTAINS = /email|phone|mobile|fax|address|street|zip|postcode|postalcode|birth/;
const ENDS = /(?:first|last|middle|full|given|family|maiden|sur)name$/;
const EXACT = new Set([
  "tel",
  "telephone",
  "drivername",
  "customername",
  "contactname",
  "recipientname",
  "holdername",
  "cardholdername",
  "city",
  "latitude",
  "longitude",
  "lat",
  "lng",
  "lon",
  "gender",
]);
const REFERENCE = /ids?$/;

/** Whether a property named `name` holds personal data (see above). */
export function isPersonalField(name: string): boolean {
  const n = name.toLowerCase().replace(/[\s_-]/g, "");
  if (REFERENCE.test(n)) return false;
  return EXACT.has(n) || CONTAINS.test(n) || ENDS.test(n);
}

/** The prefix of a hashed value: `sha256:` and 64 hex digits. */
export const HASH_PREFIX = "sha256:";

/**
 * A copy of `value` (parsed JSON) with the personal fields dropped or replaced by their SHA-256
 * (`sha256:<hex>` of the value as text: equal values stay equal, so a recording still shows that
 * two orders came from one customer). `keep` returns `value` itself. Hashing pseudonymises, it
 * does not anonymise: an email address can be found again by hashing candidates; choose `drop`
 * where that matters.
 */
export async function withPersonalFields(
  value: unknown,
  mode: PersonalFieldsMode,
): Promise<unknown> {
  if (mode === "keep") return value;
  const hashes: Promise<void>[] = [];
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (typeof node !== "object" || node === null) return node;
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(node)) {
      const scalar = typeof field === "string" || typeof field === "number";
      if (!scalar || !isPersonalField(key)) out[key] = walk(field);
      else if (mode === "hash") {
        out[key] = null; // keeps the key's place until its hash is there
        hashes.push(sha256(String(field)).then((hash) => void (out[key] = hash)));
      }
    }
    return out;
  };
  const copy = walk(value);
  await Promise.all(hashes);
  return copy;
}

const encoder = new TextEncoder();

async function sha256(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
  let hex = "";
  for (const byte of digest) hex += byte.toString(16).padStart(2, "0");
  return HASH_PREFIX + hex;
}
