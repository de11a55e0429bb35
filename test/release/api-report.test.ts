// The client types' comparison (scripts/lib/api-report.ts) on fixture packages: one entry point
// per situation, base and head compiled by tsc as the check compiles them, compared in one go.
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ApiChange,
  type ApiComparison,
  compareApis,
  declarationsOf,
  entriesOf,
} from "../../scripts/lib/api-report.js";
import { codeEntries, nodeModules, packageConfigs, tempDir, writeTree } from "./support.js";

// [entry, base source, head source]
const SITUATIONS: [string, string, string][] = [
  [
    "same",
    `export interface Options { baseUrl?: string }\nexport function create(o?: Options): string { return o?.baseUrl ?? ""; }`,
    `/** Docs changed, nothing else. */\nexport interface Options { baseUrl?: string }\nexport function create(o?: Options): string { return o?.baseUrl ?? "x"; }`,
  ],
  [
    "removed",
    `export const a = 1;\nexport class QuotaError extends Error {}`,
    `export const a = 1;`,
  ],
  [
    "async",
    `export function verify(body: string): boolean { return body.length > 0; }`,
    `export async function verify(body: string): Promise<boolean> { return body.length > 0; }`,
  ],
  [
    "additions",
    `export interface Options { baseUrl?: string }
export interface Client { get(path: string): string }
export function create(o?: Options): Client { return { get: (p) => (o?.baseUrl ?? "") + p }; }`,
    `export interface Options { baseUrl?: string; timeoutMs?: number }
export interface Client { get(path: string): string; list(): string[] }
export function create(o?: Options): Client { return { get: (p) => (o?.baseUrl ?? "") + p, list: () => [] }; }
export const VERSION = "2";`,
  ],
  [
    "required",
    `export interface Credentials { token: string }\nexport function connect(c: Credentials): void { void c; }`,
    `export interface Credentials { token: string; account: string }\nexport function connect(c: Credentials): void { void c; }`,
  ],
  [
    "widened",
    `export function f(x: string): void { void x; }\nexport function g(x: string | number): string { return String(x); }`,
    `export function f(x: string | number): void { void x; }\nexport function g(x: string): string { return x; }`,
  ],
  [
    "deprecated",
    `export function old(x: string): string { return x; }`,
    `/** @deprecated Use fresh(). */\nexport function old(x: string): string { return x; }\nexport function fresh(x: string): string { return x; }`,
  ],
  [
    "moved",
    `export type Fetch = (r: Request) => Promise<Response>;
export interface Options { fetch?: Fetch; baseUrl?: string }
export function create(o: Options): void { void o; }`,
    `export type Fetch = (r: Request) => Promise<Response>;
export interface TransportOptions { fetch?: Fetch }
export interface Options extends TransportOptions { baseUrl?: string }
export function create(o: Options): void { void o; }`,
  ],
  [
    "reasons",
    `export type Reason = "repeated-cursor" | "page-limit";
export class PagingError extends Error { readonly reason: Reason = "page-limit"; }`,
    `export type Reason = "repeated-cursor" | "page-limit" | "total-over-cap";
export class PagingError extends Error { readonly reason: Reason = "page-limit"; }`,
  ],
];

let comparison: ApiComparison;
let root: string;

beforeAll(async () => {
  root = await tempDir("api-report");
  const names = SITUATIONS.map(([name]) => name);
  const generated = path.join(root, "generated");
  await mkdir(generated);
  const tree = (side: 1 | 2, extraExports: Record<string, unknown>) => ({
    ...packageConfigs({ ...codeEntries(names), ...extraExports }),
    ...Object.fromEntries(SITUATIONS.map((s) => [`src/${s[0]}/index.ts`, s[side] + "\n"])),
  });
  // The base also has an entry point the head drops, and a JSON entry.
  await writeTree(path.join(root, "base-src"), {
    ...tree(1, { "./gone": { types: "./dist/same/index.d.ts" }, "./x.json": "./x.json" }),
  });
  await writeTree(path.join(root, "head-src"), { ...tree(2, { "./x.json": "./x.json" }) });
  const shared = { nodeModules, generated };
  const [base, head] = await Promise.all([
    declarationsOf({ dir: path.join(root, "base-src") }, path.join(root, "base"), shared),
    declarationsOf({ dir: path.join(root, "head-src") }, path.join(root, "head"), shared),
  ]);
  comparison = compareApis(base, head, nodeModules);
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const of = (entry: string): ApiChange[] => comparison.changes.filter((c) => c.entry === entry);
const summary = (entry: string) => of(entry).map((c) => `${c.type}: ${c.where}`);

describe("API report", () => {
  it("lists each export with its members, printed without comments", () => {
    const report = comparison.head["./additions"];
    expect(report && "items" in report).toBe(true);
    const items = (report as { items: Record<string, any> }).items;
    expect(Object.keys(items)).toEqual(["Client", "create", "Options", "VERSION"]);
    expect(items.create.members["(call)"].text).toBe("function create(o?: Options): Client");
    expect(items.Options.role).toBe("input"); // users build it
    expect(items.Client.role).toBe("output"); // users get it
    expect(items.Options.members.timeoutMs).toEqual({
      text: "timeoutMs?: number",
      optional: true,
      deprecated: [],
    });
  });

  it("reads package.json exports: code entries by their types, others as files", () => {
    const entries = entriesOf({
      exports: {
        "./a": { types: "./dist/a/index.d.ts", import: "./dist/a/index.js" },
        "./a/openapi.json": "./generated/a/openapi.json",
      },
    });
    expect([...entries.types]).toEqual([["./a", "./dist/a/index.d.ts"]]);
    expect([...entries.files]).toEqual([["./a/openapi.json", "./generated/a/openapi.json"]]);
  });
});

describe("API comparison", () => {
  it("finds nothing when only comments and bodies change", () => {
    expect(of("./same")).toEqual([]);
  });

  it("a removed export is breaking", () => {
    expect(summary("./removed")).toEqual(["breaking: QuotaError"]);
    expect(of("./removed")[0]!.description).toBe("class QuotaError no longer exported");
  });

  it("a removed entry point is breaking; a file entry that stays is no change", () => {
    expect(of("./gone")).toEqual([
      {
        type: "breaking",
        entry: "./gone",
        where: "./gone",
        description: "entry point ./gone removed",
      },
    ]);
    expect(of("./x.json")).toEqual([]);
  });

  it("a result made a Promise is breaking", () => {
    expect(summary("./async")).toEqual(["breaking: verify › (call)"]);
  });

  it("an optional option, a method on a returned type and a new export are not", () => {
    expect(of("./additions").map((c) => c.type)).toEqual([
      "non-breaking",
      "non-breaking",
      "non-breaking",
    ]);
    expect(summary("./additions")).toEqual([
      "non-breaking: Client › list",
      "non-breaking: Options › timeoutMs",
      "non-breaking: VERSION",
    ]);
  });

  it("a required property in a type users build is breaking", () => {
    expect(summary("./required")).toEqual(["breaking: Credentials › account"]);
  });

  it("asks the compiler: a widened parameter is compatible, a narrowed one is not", () => {
    expect(summary("./widened")).toEqual(["breaking: g › (call)", "non-breaking: f › (call)"]);
    expect(of("./widened")[1]!.description).toMatch(/^changed compatibly: /);
  });

  it("a newly deprecated function is listed as deprecated", () => {
    expect(summary("./deprecated")).toEqual(["deprecated: old › (call)", "non-breaking: fresh"]);
  });

  it("a property moved to a base interface is still there", () => {
    const changes = of("./moved");
    expect(changes.every((c) => c.type === "non-breaking")).toBe(true);
    expect(summary("./moved")).toEqual([
      "non-breaking: Options › (extends)",
      "non-breaking: Options › fetch",
      "non-breaking: TransportOptions",
    ]);
  });

  it("a value users read that widens (a new reason to switch on) is breaking", () => {
    expect(summary("./reasons")).toEqual(["breaking: Reason › (type)"]);
  });
});
