// The TypeScript call of every operation, derived from the description at build time (so no sample
// can go stale) and shown in the docs as `x-codeSamples`. Lists use paginate(), Hiboutik's
// one-element reads one(), and the OAuth endpoints the clients do not serve a plain fetch().
// Values come from the description's own examples (Redoc's sampler, openapi-sampler, fills the
// gaps), so a sample shows real shapes; test/docs/code-samples.test.ts compiles every sample
// against the published package.
import { sample } from "openapi-sampler";
import type { ClientSampleProfile } from "./code-sample-profiles.js";
import { deref } from "./refs.js";
import type { Operation } from "./stats.js";

export interface CodeSample {
  lang: "TypeScript";
  label: string;
  source: string;
}

type Doc = Record<string, unknown>;
type Node = Record<string, unknown>;

/**
 * Source code printed as is where a value would go (`process.env.X!`, a variable). Its lines after
 * the first are indented relative to the line it starts on.
 */
class Code {
  constructor(readonly text: string) {}
}

/** A value printed inside a call: `new URLSearchParams(<value>)`. */
class Wrapped {
  constructor(
    readonly open: string,
    readonly value: unknown,
    readonly close: string,
  ) {}
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * The widest line of a sample, in characters: the docs' code panel shows this many at 1,400 px
 * and wider (scripts/lib/docs.ts gives it half the page; test/docs checks both ends). Only a string
 * literal too long to fit on its own line (a long path) is wider; the panel wraps it.
 */
export const SAMPLE_WIDTH = 56;

/**
 * A JavaScript literal placed at `column` with `tail` characters after it on the line: on one line
 * when it fits in SAMPLE_WIDTH, otherwise one member per line, as prettier prints it.
 */
function literal(value: unknown, indent = "", column = indent.length, tail = 0): string {
  if (value instanceof Code) return value.text.replace(/\n/g, `\n${indent}`);
  if (value instanceof Wrapped)
    return `${value.open}${literal(value.value, indent, column + value.open.length, tail + value.close.length)}${value.close}`;
  if (value === undefined) return "undefined";
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  const inner = `${indent}  `;
  const members: [prefix: string, value: unknown][] = Array.isArray(value)
    ? value.map((v) => ["", v])
    : Object.entries(value).map(([k, v]) => [`${IDENTIFIER.test(k) ? k : JSON.stringify(k)}: `, v]);
  if (members.length === 0) return Array.isArray(value) ? "[]" : "{}";
  const [open, close] = Array.isArray(value) ? ["[", "]"] : ["{ ", " }"];
  const flat = members.map(([prefix, v]) => prefix + literal(v, "", -Infinity));
  const oneLine = `${open}${flat.join(", ")}${close}`;
  if (!oneLine.includes("\n") && column + oneLine.length + tail <= SAMPLE_WIDTH) return oneLine;
  const lines = members.map(
    ([prefix, v]) => `${inner}${prefix}${literal(v, inner, inner.length + prefix.length, 1)},`,
  );
  return `${open.trim()}\n${lines.join("\n")}\n${indent}${close.trim()}`;
}

const isObject = (value: unknown) =>
  typeof value === "object" &&
  value !== null &&
  !(value instanceof Code) &&
  !(value instanceof Wrapped);

/**
 * `head(arg, …)after` as prettier prints a call: on one line when it fits; else with its last
 * argument, an object, hugged (`head("/path", {` … `})after`) when the line up to its brace fits;
 * else one argument per line. `after` starts with the call's closing parenthesis.
 */
function call(head: string, args: readonly unknown[], after: string): string {
  const flat = args.map((a) => literal(a, "", -Infinity));
  const oneLine = `${head}${flat.join(", ")}${after}`;
  if (!oneLine.includes("\n") && oneLine.length <= SAMPLE_WIDTH) return oneLine;
  const last = args[args.length - 1];
  const leading = flat.slice(0, -1);
  const prefix = `${head}${leading.map((a) => `${a}, `).join("")}`;
  if (isObject(last) && !leading.some((a) => a.includes("\n")) && prefix.length + 1 <= SAMPLE_WIDTH)
    return `${prefix}${literal(last, "", prefix.length, after.length)}${after}`;
  const lines = args.map((a) => `  ${literal(a, "  ", 2, 1)},`);
  return `${head}\n${lines.join("\n")}\n${after}`;
}

function exampleOf(holder: Node): unknown {
  if (holder.example !== undefined) return holder.example;
  const examples = holder.examples;
  if (Array.isArray(examples)) return examples[0];
  if (examples && typeof examples === "object") {
    const first = Object.values(examples as Record<string, Node>)[0];
    return first?.value;
  }
  return undefined;
}

function parameterValue(doc: Doc, parameter: Node): unknown {
  const schema = deref(doc, parameter.schema);
  return (
    exampleOf(parameter) ??
    exampleOf(schema) ??
    schema.default ??
    (Array.isArray(schema.enum) ? schema.enum[0] : undefined) ??
    sample(schema as never, { skipReadOnly: true, skipNonRequired: true, quiet: true }, doc)
  );
}

/** The required parameters by location (`{ path: {…}, query: {…} }`), without those the client sets. */
function requiredParams(doc: Doc, op: Operation, pathItem: Node, skip: ReadonlySet<string>): Node {
  const declared = [
    ...((pathItem.parameters as unknown[]) ?? []),
    ...((op.operation.parameters as unknown[]) ?? []),
  ].map((p) => deref(doc, p));
  // An operation-level parameter overrides the path item's one of the same name and location.
  const byKey = new Map(declared.map((p) => [`${String(p.in)}:${String(p.name)}`, p]));
  const params: Record<string, Node> = {};
  for (const p of byKey.values()) {
    if (!p.required || skip.has(String(p.name)) || p.in === "cookie") continue;
    (params[String(p.in)] ??= {})[String(p.name)] = parameterValue(doc, p);
  }
  return params;
}

interface BodyPlan {
  mediaType: string;
  value: unknown;
  /** Statements the call needs first (reading a file). */
  prelude: string[];
  /** Extra members of the call's init: bodySerializer, headers. */
  extra: Node;
}

const isBinary = (schema: Node) =>
  schema.format === "binary" || schema.contentMediaType === "application/octet-stream";

function bodyPlan(doc: Doc, op: Operation, prefer: readonly string[]): BodyPlan | undefined {
  if (!op.operation.requestBody) return undefined;
  const body = deref(doc, op.operation.requestBody);
  const content = (body.content ?? {}) as Record<string, Node>;
  const mediaType =
    prefer.find((m) => content[m]) ??
    Object.keys(content).find((m) => m.includes("json")) ??
    Object.keys(content)[0];
  if (!mediaType) return undefined;
  const media = content[mediaType]!;
  const schema = deref(doc, media.schema);
  if (isBinary(schema)) {
    // Raw bytes: openapi-typescript types them as a string; the Buffer is sent untouched.
    const file = `upload.${mediaType.split("/")[1]}`;
    return {
      mediaType,
      value: new Code("bytes as unknown as string"),
      prelude: [`const bytes = await readFile(${JSON.stringify(file)});`],
      extra: {
        bodySerializer: new Code("(body) => body"),
        headers: { "Content-Type": mediaType },
      },
    };
  }
  const value =
    exampleOf(media) ??
    sample(schema as never, { skipReadOnly: true, skipNonRequired: true, quiet: true }, doc);
  if (mediaType === "multipart/form-data") return multipartPlan(doc, schema, media, value as Node);
  if (!body.required && JSON.stringify(value) === "{}") return undefined;
  const extra: Node =
    mediaType === "application/json" ? {} : { headers: { "Content-Type": mediaType } }; // openapi-fetch form-encodes by this header
  return { mediaType, value, prelude: [], extra };
}

/** multipart/form-data: the typed fields, and a bodySerializer that sends files as Blobs. */
function multipartPlan(doc: Doc, schema: Node, media: Node, fields: Node): BodyPlan {
  const properties = (schema.properties ?? {}) as Record<string, Node>;
  const encoding = (media.encoding ?? {}) as Record<string, { contentType?: string }>;
  const appends: string[] = [];
  const blobs: string[] = [];
  const typed: Node = {};
  for (const [name, value] of Object.entries(fields)) {
    const property = deref(doc, properties[name]);
    const item = property.type === "array" ? deref(doc, property.items) : property;
    if (isBinary(item)) {
      const type = encoding[name]?.contentType?.split(",")[0]?.trim() ?? "application/octet-stream";
      const file = `upload.${type.split("/")[1]}`;
      const blob = blobs.length === 0 ? "blob" : `blob${blobs.length + 1}`;
      blobs.push(`const ${blob} = new Blob([bytes], { type: ${JSON.stringify(type)} });`);
      appends.push(`form.append(${JSON.stringify(name)}, ${blob}, ${JSON.stringify(file)});`);
      typed[name] = property.type === "array" ? [] : "";
    } else {
      appends.push(`form.append(${JSON.stringify(name)}, ${JSON.stringify(String(value))});`);
      typed[name] = value;
    }
  }
  const serializer = [
    "() => {",
    "  const form = new FormData();",
    ...appends.map((line) => `  ${line}`),
    "  return form;",
    "}",
  ].join("\n");
  return {
    mediaType: "multipart/form-data",
    value: typed,
    prelude: [`const bytes = await readFile("upload.jpeg");`, ...blobs],
    extra: { bodySerializer: new Code(serializer) },
  };
}

const isListOf = (doc: Doc, op: Operation, pathItem: Node, marker: string | undefined) =>
  op.method === "get" &&
  marker !== undefined &&
  [
    ...((pathItem.parameters as unknown[]) ?? []),
    ...((op.operation.parameters as unknown[]) ?? []),
  ].some((p) => {
    const parameter = deref(doc, p);
    return parameter.in === "query" && parameter.name === marker;
  });

/** Whether the operation is a list read with paginate(): a GET taking the client's paging parameter. */
export const isList = (doc: Doc, op: Operation, profile: ClientSampleProfile) =>
  isListOf(doc, op, (doc.paths as Record<string, Node>)[op.path]!, profile.pagingParameters[0]);

/** The required parameters by location, valued from the description's examples, minus `skip`. */
export const exampleParameters = (doc: Doc, op: Operation, skip: readonly string[] = []) =>
  requiredParams(doc, op, (doc.paths as Record<string, Node>)[op.path]!, new Set(skip));

/**
 * The parameters a sample sends (without those paginate() sets) and whether the operation is a
 * list, read with paginate().
 */
export function exampleRequest(
  doc: Doc,
  op: Operation,
  profile: ClientSampleProfile,
): { params: Node; list: boolean } {
  const list = isList(doc, op, profile);
  return { params: exampleParameters(doc, op, list ? profile.pagingParameters : []), list };
}

function clientCall(doc: Doc, op: Operation, profile: ClientSampleProfile): string {
  const { params, list } = exampleRequest(doc, op, profile);
  const plan = bodyPlan(doc, op, []);
  const init: Node = {};
  if (Object.keys(params).length > 0) init.params = params;
  if (plan) Object.assign(init, { body: plan.value }, plan.extra);
  const c = profile.client;
  const method = op.method.toUpperCase();
  const [head, after, tail] = list
    ? [`for await (const item of ${c}.paginate(`, ")) {", ["  console.log(item);", "}"]]
    : op.method === "get" && profile.singleRecordPaths?.includes(op.path)
      ? [`const record = await ${c}.one(`, ");", ["console.log(record);"]]
      : profile.unwrapped
        ? [`const result = await ${c}.${method}(`, ");", ["console.log(result);"]]
        : [
            `const { data, error, response } = await ${c}.${method}(`,
            ");",
            ["if (error) console.error(response.status, error);", "else console.log(data);"],
          ];
  const args = Object.keys(init).length > 0 ? [op.path, init] : [op.path];
  const lines = [...(plan?.prelude ?? []), call(head, args, after), ...tail];
  const imports = plan?.prelude.length ? `import { readFile } from "node:fs/promises";\n` : "";
  return `${imports}${profile.setup}\n\n${lines.join("\n")}\n`;
}

/** The URL of an operation outside the client: its server (variables at their defaults) + path. */
function operationUrl(doc: Doc, op: Operation, pathParams: Node): string {
  const servers = (op.operation.servers ?? doc.servers ?? [{ url: "" }]) as {
    url: string;
    variables?: Record<string, { default: string }>;
  }[];
  const server = servers[0]!;
  const base = server.url.replace(/\{(\w+)\}/g, (_, name: string) =>
    String(server.variables?.[name]?.default ?? name),
  );
  return (
    base +
    op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(pathParams[name])))
  );
}

const SECRET_FIELD = /secret|password|token|api_?key/i;

/** OAuth endpoints: fetch(), secrets from the environment, HTTP Basic from the client's id and secret. */
function fetchCall(doc: Doc, op: Operation, profile: ClientSampleProfile): string {
  const pathItem = (doc.paths as Record<string, Node>)[op.path]!;
  const params = requiredParams(doc, op, pathItem, new Set());
  const url = operationUrl(doc, op, (params.path as Node) ?? {});
  const plan = bodyPlan(doc, op, ["application/x-www-form-urlencoded"]);
  // OAuth's bare `token` field (revocation) is the access token the client samples read already.
  const env = (name: string) =>
    `process.env.${profile.envPrefix}_${(name === "token" ? "access_token" : name).toUpperCase()}!`;
  const fields = Object.fromEntries(
    Object.entries((plan?.value ?? {}) as Node).map(([k, v]) => [
      k,
      SECRET_FIELD.test(k) ? new Code(env(k)) : String(v),
    ]),
  );
  const headers: Node = {};
  const schemes = ((doc.components as Node)?.securitySchemes ?? {}) as Record<string, Node>;
  const security = (op.operation.security ?? doc.security ?? []) as Record<string, unknown>[];
  const basic = security.some((requirement) =>
    Object.keys(requirement).some((name) => schemes[name]?.scheme === "basic"),
  );
  const lines = ["// Served outside the API client: call it from your", "// server with fetch()."];
  if (basic) {
    lines.push(
      `const id = ${env("client_id")};`,
      `const secret = ${env("client_secret")};`,
      "const basic = btoa(`${id}:${secret}`);",
    );
    headers.Authorization = new Code("`Basic ${basic}`");
  }
  const form = plan?.mediaType === "application/x-www-form-urlencoded";
  if (plan && !form) headers["Content-Type"] = plan.mediaType;
  const init: Node = { method: op.method.toUpperCase() };
  if (Object.keys(headers).length > 0) init.headers = headers;
  if (plan)
    init.body = form
      ? new Wrapped("new URLSearchParams(", fields, ")")
      : new Wrapped("JSON.stringify(", fields, ")");
  lines.push(
    call("const response = await fetch(", [url, init], ");"),
    "console.log(response.status, await response.json());",
  );
  return `${lines.join("\n")}\n`;
}

export function codeSampleFor(doc: Doc, op: Operation, profile: ClientSampleProfile): CodeSample {
  const outside = profile.outsideClient.includes(op.path);
  return {
    lang: "TypeScript",
    label: outside ? "TypeScript (fetch)" : "TypeScript client",
    source: outside ? fetchCall(doc, op, profile) : clientCall(doc, op, profile),
  };
}
