// Form bodies in PHP's bracket notation (what PHP's http_build_query writes and $_POST reads):
// `line_items[0][product_id]=30&store_address[city]=SAINT+LEU&tags[]=a&tags[]=b`. Decoded into
// nested objects and arrays; every value stays the text that was sent.
//
// Bounded, and linear in the body: the body is capped in bytes and in fields before anything is
// built, each key is scanned once (no regular expression), a key nested deeper than the cap is
// refused, and an index makes no array of its size (`x[999999999]=1` is a one-element array).
//
// The rules, PHP's where it has one:
// - `name[a][b]` is the path name → a → b; `name[]` appends (after the highest index so far).
// - The last value sent for a path wins; a value under a path that held text replaces the text.
// - A key that is not `name` followed by `[…]` groups only (`a[b`, `a[b]c`, `[a]`) is one literal
//   field name, as sent.
// - A nested object whose keys are all array indices (0, 1, 12: no sign, no leading zero, at most
//   9 digits) is an array of its values in index order; any other key makes it an object.
// - Object keys are own data properties (`__proto__` included): nothing reaches a prototype.
import { type ErrorContext, WebhookError } from "../errors.js";

/** A decoded form value: text, or a list or an object of them. */
export type FormValue = string | FormValue[] | { [field: string]: FormValue };
/** A decoded form: its top-level fields. */
export type FormFields = { [field: string]: FormValue };

export interface FormLimits {
  /** The largest body, in bytes (for URLSearchParams: in characters of its decoded names and values). */
  maxBytes: number;
  /** The most `[…]` groups in one field name. */
  maxDepth: number;
  /** The most fields (name=value pairs). */
  maxFields: number;
}

/** What a form body may be given as. */
export type FormInput = string | Uint8Array | URLSearchParams;

const decoder = new TextDecoder();
const MAX_INDEX_DIGITS = 9;
/** Groups with more keys than this are indexed by a Map. */
const INDEXED_FROM = 8;

/**
 * A nested value while the form is read: its keys in first-seen order, their values, and PHP's next
 * index. Most groups hold a few keys and are searched in place; a Map indexes the larger ones
 * (a Map for each of thousands of small groups would multiply the memory a body costs).
 */
class Group {
  readonly keys: string[] = [];
  readonly values: (string | Group)[] = [];
  #index: Map<string, number> | undefined;
  next = 0;

  get(key: string): string | Group | undefined {
    const at = this.#find(key);
    return at < 0 ? undefined : this.values[at];
  }

  set(key: string, value: string | Group): void {
    const at = this.#find(key);
    if (at >= 0) {
      this.values[at] = value;
      return;
    }
    this.keys.push(key);
    this.values.push(value);
    if (this.#index) this.#index.set(key, this.keys.length - 1);
    else if (this.keys.length > INDEXED_FROM) {
      this.#index = new Map(this.keys.map((k, i) => [k, i] as const));
    }
  }

  #find(key: string): number {
    if (this.#index) return this.#index.get(key) ?? -1;
    return this.keys.indexOf(key);
  }
}

/** Decodes a form body; WebhookError `too-large` or `malformed-body` past the limits. */
export function parseBracketForm(
  input: FormInput,
  limits: FormLimits,
  ctx: ErrorContext,
): FormFields {
  const root = new Group();
  let fields = 0;
  let chars = 0;
  for (const [name, value] of formPairs(input, limits, ctx)) {
    if (++fields > limits.maxFields) {
      throw new WebhookError(
        ctx,
        "too-large",
        `more than ${limits.maxFields} form fields (option maxFields)`,
      );
    }
    if (input instanceof URLSearchParams) {
      chars += name.length + value.length;
      if (chars > limits.maxBytes) {
        throw new WebhookError(
          ctx,
          "too-large",
          `the form is over the ${limits.maxBytes}-character limit (option maxBytes)`,
        );
      }
    }
    assign(root, name, value, limits.maxDepth, ctx);
  }
  return objectOf(root);
}

function formPairs(input: FormInput, limits: FormLimits, ctx: ErrorContext): URLSearchParams {
  if (input instanceof URLSearchParams) return input;
  let text: string;
  if (typeof input === "string") {
    if (input.length > limits.maxBytes || utf8Length(input) > limits.maxBytes) {
      throw tooLarge(ctx, limits.maxBytes);
    }
    text = input;
  } else if (input instanceof Uint8Array) {
    if (input.byteLength > limits.maxBytes) throw tooLarge(ctx, limits.maxBytes);
    text = decoder.decode(input);
  } else {
    throw new TypeError("the form body must be a string, a Uint8Array or a URLSearchParams");
  }
  // URLSearchParams drops one leading "?", which a form body does not have: keep it in the name.
  return new URLSearchParams(text.startsWith("?") ? `&${text}` : text);
}

/** Stores `value` at the path `name` spells. */
function assign(root: Group, name: string, value: string, maxDepth: number, ctx: ErrorContext) {
  const open = name.indexOf("[");
  const groups = open > 0 ? bracketGroups(name, open, maxDepth, ctx) : undefined;
  if (groups === undefined) {
    root.set(name, value);
    return;
  }
  let group = root;
  let key = name.slice(0, open);
  for (const next of groups) {
    let child = group.get(key);
    if (!(child instanceof Group)) {
      child = new Group();
      group.set(key, child);
    }
    group = child;
    key = next === "" ? String(group.next) : next;
    const index = arrayIndex(key);
    if (index >= group.next) group.next = index + 1;
  }
  group.set(key, value);
}

/**
 * The `[…]` groups of a name from its first "[" on, or undefined when the rest of the name is not
 * groups only (the name is then one literal field). One pass over the name.
 */
function bracketGroups(
  name: string,
  open: number,
  maxDepth: number,
  ctx: ErrorContext,
): string[] | undefined {
  const groups: string[] = [];
  let at = open;
  while (at < name.length) {
    if (name.charCodeAt(at) !== 0x5b /* [ */) return undefined;
    const close = name.indexOf("]", at + 1);
    if (close < 0) return undefined;
    if (groups.length === maxDepth) {
      throw new WebhookError(
        ctx,
        "malformed-body",
        `a form field is nested deeper than ${maxDepth} levels (option maxDepth)`,
      );
    }
    groups.push(name.slice(at + 1, close));
    at = close + 1;
  }
  return groups;
}

/** The index a key spells (`0`, `7`, `12`), or -1 for any other key. */
function arrayIndex(key: string): number {
  const length = key.length;
  if (length === 0 || length > MAX_INDEX_DIGITS) return -1;
  const first = key.charCodeAt(0);
  if (length > 1 && first === 0x30 /* 0 */) return -1;
  for (let i = 0; i < length; i++) {
    const c = key.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
  }
  return Number(key);
}

function valueOf(entry: string | Group): FormValue {
  return typeof entry === "string" ? entry : groupValue(entry);
}

/** A nested group as an array (every key an index: in index order) or an object. */
function groupValue(group: Group): FormValue {
  const { keys, values } = group;
  let ascending = true;
  let previous = -1;
  for (const key of keys) {
    const index = arrayIndex(key);
    if (index < 0) return objectOf(group);
    if (index < previous) ascending = false;
    previous = index;
  }
  if (ascending) return values.map(valueOf);
  const order = keys.map((_, i) => i).sort((a, b) => Number(keys[a]) - Number(keys[b]));
  return order.map((i) => valueOf(values[i]!));
}

function objectOf(group: Group): FormFields {
  // Object.fromEntries defines own data properties: a "__proto__" key is a field like any other.
  return Object.fromEntries(group.keys.map((key, i) => [key, valueOf(group.values[i]!)] as const));
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

function tooLarge(ctx: ErrorContext, maxBytes: number): WebhookError {
  return new WebhookError(
    ctx,
    "too-large",
    `the body is over the ${maxBytes}-byte limit (option maxBytes)`,
  );
}
