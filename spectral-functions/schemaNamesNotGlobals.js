// House rule: no schema is named after a JavaScript or TypeScript global. Generators declare one
// type per components/schemas entry (orval, openapi-generator and others PascalCase the name, and
// some use the schema's `title`); `export interface Record` or `export type Error` then shadows the
// global in the generated module, whose own code uses `Record<string, unknown>`, `Error`, `Date`,
// `Blob`, `Response`… The names checked are:
// - ES_GLOBALS: every global TypeScript 5.9 declares for JavaScript itself (lib.esnext.d.ts: values,
//   types and namespaces, from `Array` and `Record` to `Partial` and `Intl`). test/lint checks the
//   list against the installed TypeScript, so a TypeScript upgrade that adds a global fails there.
// - WEB_GLOBALS: the web-platform globals that generated clients' code refers to (fetch, URL, files,
//   forms, streams, abort, events), each also declared by TypeScript's lib.dom.d.ts and by Node.
//   lib.dom's other ~1,500 names (Location, Image, Text, …) are left out: no generated client
//   refers to them, so a schema may be called `Location`.
// prettier-ignore
export const ES_GLOBALS = [
  "AggregateError", "AggregateErrorConstructor", "Array", "ArrayBuffer", "ArrayBufferConstructor",
  "ArrayBufferLike", "ArrayBufferTypes", "ArrayBufferView", "ArrayConstructor", "ArrayIterator",
  "ArrayLike", "AsyncDisposable", "AsyncDisposableStack", "AsyncDisposableStackConstructor",
  "AsyncGenerator", "AsyncGeneratorFunction", "AsyncGeneratorFunctionConstructor", "AsyncIterable",
  "AsyncIterableIterator", "AsyncIterator", "AsyncIteratorObject", "Atomics", "Awaited", "BigInt",
  "BigInt64Array", "BigInt64ArrayConstructor", "BigIntConstructor", "BigIntToLocaleStringOptions",
  "BigUint64Array", "BigUint64ArrayConstructor", "Boolean", "BooleanConstructor",
  "BuiltinIteratorReturn", "CallableFunction", "Capitalize", "ClassAccessorDecoratorContext",
  "ClassAccessorDecoratorResult", "ClassAccessorDecoratorTarget", "ClassDecorator",
  "ClassDecoratorContext", "ClassFieldDecoratorContext", "ClassGetterDecoratorContext",
  "ClassMemberDecoratorContext", "ClassMethodDecoratorContext", "ClassSetterDecoratorContext",
  "ConcatArray", "ConstructorParameters", "DataView", "DataViewConstructor", "Date",
  "DateConstructor", "DecoratorContext", "DecoratorMetadata", "DecoratorMetadataObject",
  "Disposable", "DisposableStack", "DisposableStackConstructor", "Error", "ErrorConstructor",
  "ErrorOptions", "EvalError", "EvalErrorConstructor", "Exclude", "Extract", "FinalizationRegistry",
  "FinalizationRegistryConstructor", "FlatArray", "Float16Array", "Float16ArrayConstructor",
  "Float32Array", "Float32ArrayConstructor", "Float64Array", "Float64ArrayConstructor", "Function",
  "FunctionConstructor", "Generator", "GeneratorFunction", "GeneratorFunctionConstructor",
  "IArguments", "ImportAssertions", "ImportAttributes", "ImportCallOptions", "ImportMeta",
  "Infinity", "InstanceType", "Int16Array", "Int16ArrayConstructor", "Int32Array",
  "Int32ArrayConstructor", "Int8Array", "Int8ArrayConstructor", "Intl", "Iterable",
  "IterableIterator", "Iterator", "IteratorConstructor", "IteratorObject", "IteratorResult",
  "IteratorReturnResult", "IteratorYieldResult", "JSON", "Lowercase", "Map", "MapConstructor",
  "MapIterator", "Math", "MethodDecorator", "NaN", "NewableFunction", "NoInfer", "NonNullable",
  "Number", "NumberConstructor", "Object", "ObjectConstructor", "Omit", "OmitThisParameter",
  "ParameterDecorator", "Parameters", "Partial", "Pick", "Promise", "PromiseConstructor",
  "PromiseConstructorLike", "PromiseFulfilledResult", "PromiseLike", "PromiseRejectedResult",
  "PromiseSettledResult", "PromiseWithResolvers", "PropertyDecorator", "PropertyDescriptor",
  "PropertyDescriptorMap", "PropertyKey", "Proxy", "ProxyConstructor", "ProxyHandler", "RangeError",
  "RangeErrorConstructor", "Readonly", "ReadonlyArray", "ReadonlyMap", "ReadonlySet",
  "ReadonlySetLike", "Record", "ReferenceError", "ReferenceErrorConstructor", "Reflect", "RegExp",
  "RegExpConstructor", "RegExpExecArray", "RegExpIndicesArray", "RegExpMatchArray",
  "RegExpStringIterator", "Required", "ReturnType", "Set", "SetConstructor", "SetIterator",
  "SharedArrayBuffer", "SharedArrayBufferConstructor", "String", "StringConstructor",
  "StringIterator", "SuppressedError", "SuppressedErrorConstructor", "Symbol", "SymbolConstructor",
  "SyntaxError", "SyntaxErrorConstructor", "TemplateStringsArray", "ThisParameterType", "ThisType",
  "TypeError", "TypeErrorConstructor", "TypedPropertyDescriptor", "URIError", "URIErrorConstructor",
  "Uint16Array", "Uint16ArrayConstructor", "Uint32Array", "Uint32ArrayConstructor", "Uint8Array",
  "Uint8ArrayConstructor", "Uint8ClampedArray", "Uint8ClampedArrayConstructor", "Uncapitalize",
  "Uppercase", "WeakKey", "WeakKeyTypes", "WeakMap", "WeakMapConstructor", "WeakRef",
  "WeakRefConstructor", "WeakSet", "WeakSetConstructor", "decodeURI", "decodeURIComponent",
  "encodeURI", "encodeURIComponent", "escape", "eval", "globalThis", "isFinite", "isNaN",
  "parseFloat", "parseInt", "undefined", "unescape",
];

// prettier-ignore
export const WEB_GLOBALS = [
  "AbortController", "AbortSignal", "Blob", "BlobPart", "BodyInit", "CustomEvent", "DOMException",
  "ErrorEvent", "Event", "EventSource", "EventTarget", "File", "FileList", "FileReader", "FormData",
  "Headers", "HeadersInit", "MessageEvent", "ProgressEvent", "ReadableStream", "Request",
  "RequestInfo", "RequestInit", "Response", "ResponseInit", "TextDecoder", "TextEncoder",
  "TransformStream", "URL", "URLSearchParams", "WebSocket", "WritableStream", "XMLHttpRequest",
  "fetch",
];

const GLOBALS = new Set([...ES_GLOBALS, ...WEB_GLOBALS]);

/** The name as generators that PascalCase it print it: `error` → `Error`, `date-time` → `DateTime`. */
const pascal = (name) =>
  name
    .split(/[^A-Za-z0-9$]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join("");

/** The global a generated type named `name` would shadow, if any. */
export function shadowedGlobal(name) {
  if (typeof name !== "string" || name === "") return undefined;
  if (GLOBALS.has(name)) return name;
  const printed = pascal(name);
  return GLOBALS.has(printed) ? printed : undefined;
}

const HOW =
  "rename it to say what it is (e.g. ErrorBody, CalendarDate, UndocumentedRecord): the file " +
  "name under components/schemas, its title and every $ref";

export default function schemaNamesNotGlobals(schemas) {
  const results = [];
  if (!schemas || typeof schemas !== "object") return results;
  for (const [name, schema] of Object.entries(schemas)) {
    const global = shadowedGlobal(name);
    if (global) {
      results.push({
        message: `schema ${name} is named after the JavaScript/TypeScript global ${global}, which generated code would shadow: ${HOW}`,
        path: ["components", "schemas", name],
      });
      continue;
    }
    const title = schema && typeof schema === "object" ? schema.title : undefined;
    const titleGlobal = shadowedGlobal(title);
    if (titleGlobal) {
      results.push({
        message: `schema ${name} has the title ${title}, the JavaScript/TypeScript global ${titleGlobal} (generators that name types by title would shadow it): ${HOW}`,
        path: ["components", "schemas", name, "title"],
      });
    }
  }
  return results;
}
