// The public TypeScript surface of the package, and what a change does to it. For each entry point
// of package.json `exports` (its `types` file, e.g. dist/hubrise/index.d.ts) a normalized report
// lists every export (and every type of the package an export refers to) with its members, each
// printed by the TypeScript compiler without comments. Two reports are compared member by member:
//
// - an entry point, an export or a member that disappears is breaking;
// - an export that appears is not; a member that appears is not when it is optional or when the
//   type only ever reaches users as an output (a returned client, an error they catch): a new
//   required member of a type users build (options, credentials) is breaking;
// - a member whose text changed is asked of the compiler, base and head in one program: still
//   callable as before (every old signature has a new one that takes the old arguments and
//   returns something usable as the old result), or, for a value or a property, assignable in the
//   direction its users need (new to old for what they read, old to new for what they write, both
//   when they do both). Whatever the compiler cannot settle (generic types) counts as breaking.
// - a member newly marked @deprecated is listed as deprecated.
//
// Both sides are compiled against the working tree's generated/ and node_modules: the types that
// come from the bundled descriptions (generated/<vendor>/schema.d.ts) are listed by name only,
// their content being what `npm run diff` classifies (and a schema removed or renamed, what the
// changeset check adds to it); a dependency's own type changes are not seen here.
import { execFile, spawn } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { copyFile, mkdir, readFile, symlink } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import ts from "typescript";

export type Role = "input" | "output" | "both";
export type ItemKind =
  | "function"
  | "variable"
  | "class"
  | "interface"
  | "type"
  | "enum"
  | "namespace"
  | "schema"
  | "external";

export interface ApiMember {
  /** Printed declaration(s), comments removed, whitespace collapsed; overloads joined by " ; ". */
  text: string;
  optional: boolean;
  /** The printed parts marked @deprecated. */
  deprecated: string[];
}

export interface ApiItem {
  kind: ItemKind;
  /** false for a type of the package that an export refers to without exporting it. */
  exported: boolean;
  generic: boolean;
  /** How users meet it: they read it (output), build it (input), or both. */
  role: Role;
  deprecated: boolean;
  members: Record<string, ApiMember>;
}

/** Per entry point (a package.json `exports` subpath): its items, or `file` for a non-code entry. */
export type ApiReport = Record<string, { file: string } | { items: Record<string, ApiItem> }>;

export type ApiChangeClass = "breaking" | "non-breaking" | "deprecated";

export interface ApiChange {
  type: ApiChangeClass;
  /** Entry point, e.g. `./hubrise`. */
  entry: string;
  /** `Export`, `Export › member`, or the entry point itself. */
  where: string;
  description: string;
}

// ---------------------------------------------------------------------------------------------
// Declarations of a tree: tsc's own declaration emit, as `npm run build` compiles dist/.

/**
 * Emits the declarations of `root`'s sources (its tsconfig.build.json) into `outDir`. The root
 * needs its node_modules reachable (a symlink does) and its generated/ next to `outDir`'s parent,
 * as dist/ has it.
 */
export async function emitDeclarations(root: string, outDir: string): Promise<void> {
  const tsc = path.join(
    path.dirname(createRequire(import.meta.url).resolve("typescript")),
    "..",
    "bin",
    "tsc",
  );
  try {
    await promisify(execFile)(
      process.execPath,
      [
        tsc,
        "-p",
        path.join(root, "tsconfig.build.json"),
        "--declaration",
        "--emitDeclarationOnly",
        "--declarationMap",
        "false",
        "--sourceMap",
        "false",
        "--noEmitOnError",
        "false",
        "--outDir",
        outDir,
      ],
      { cwd: root, maxBuffer: 64 * 1024 * 1024 },
    );
  } catch (err) {
    // tsc exits non-zero on a type error but still writes the declarations; the build and the
    // tests judge type errors. Only a missing output is fatal here.
    if (!existsSync(outDir)) {
      const e = err as { stdout?: string; stderr?: string };
      throw new Error(
        `tsc could not emit the declarations of ${root}:\n${e.stdout ?? ""}${e.stderr ?? ""}`,
      );
    }
  }
}

/** What a tree needs for its declarations: its sources and configs (generated/ is shared). */
const TREE_PATHS = ["src", "package.json", "tsconfig.json", "tsconfig.build.json"];

/**
 * The declarations of the package as committed at `ref` (`{ ref }`) or as in a working tree
 * (`{ dir }`), emitted under `dest` laid out as the package is: dest/dist, dest/generated,
 * dest/package.json. Both sides link to the same dependencies (`nodeModules`) and the same
 * generated/ types (`generated`, the working tree's): what the descriptions change is for
 * `npm run diff` to judge, and one set of schema types makes the two sides' types comparable.
 */
export async function declarationsOf(
  source: { ref: string; repo: string } | { dir: string },
  dest: string,
  shared: { nodeModules: string; generated: string },
): Promise<Side> {
  await mkdir(dest, { recursive: true });
  await symlink(shared.nodeModules, path.join(dest, "node_modules"), "dir");
  await symlink(shared.generated, path.join(dest, "generated"), "dir");
  if ("ref" in source) {
    const { stdout } = await promisify(execFile)(
      "git",
      ["ls-tree", "--name-only", source.ref, "--", ...TREE_PATHS],
      { cwd: source.repo },
    );
    const present = stdout.split("\n").filter(Boolean);
    if (!present.includes("src")) throw new Error(`${source.ref} has no src/`);
    await extract(source.repo, source.ref, present, dest);
    await emitDeclarations(dest, path.join(dest, "dist"));
  } else {
    await copyFile(path.join(source.dir, "package.json"), path.join(dest, "package.json"));
    await emitDeclarations(source.dir, path.join(dest, "dist"));
  }
  return { root: dest, entries: await readEntries(dest) };
}

/** `git archive <ref> -- <paths> | tar -x -C <dest>`, without a shell. */
function extract(repo: string, ref: string, paths: string[], dest: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const git = spawn("git", ["archive", "--format=tar", ref, "--", ...paths], {
      cwd: repo,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const tar = spawn("tar", ["-x", "-C", dest], { stdio: ["pipe", "ignore", "pipe"] });
    git.stdout.pipe(tar.stdin);
    let stderr = "";
    git.stderr.on("data", (d: Buffer) => (stderr += String(d)));
    tar.stderr.on("data", (d: Buffer) => (stderr += String(d)));
    let pending = 2;
    const done = (what: string) => (code: number | null) => {
      if (code !== 0) reject(new Error(`${what} exited with ${code}: ${stderr.trim()}`));
      else if (--pending === 0) resolve();
    };
    git.on("error", reject).on("close", done(`git archive ${ref}`));
    tar.on("error", reject).on("close", done("tar -x"));
  });
}

// ---------------------------------------------------------------------------------------------
// Entry points

export interface PackageEntries {
  /** subpath → types file (relative to the package root), for entries with types. */
  types: Map<string, string>;
  /** subpath → target, for entries without types (JSON descriptions, package.json). */
  files: Map<string, string>;
}

export function entriesOf(packageJson: { exports?: unknown }): PackageEntries {
  const types = new Map<string, string>();
  const files = new Map<string, string>();
  const exp = packageJson.exports;
  if (typeof exp === "string") files.set(".", exp);
  else if (exp && typeof exp === "object")
    for (const [subpath, target] of Object.entries(exp as Record<string, unknown>)) {
      if (typeof target === "string") files.set(subpath, target);
      else if (target && typeof target === "object") {
        const t = (target as Record<string, unknown>).types;
        if (typeof t === "string") types.set(subpath, t);
        else files.set(subpath, JSON.stringify(target));
      }
    }
  return { types, files };
}

export async function readEntries(root: string): Promise<PackageEntries> {
  return entriesOf(JSON.parse(await readFile(path.join(root, "package.json"), "utf8")));
}

// ---------------------------------------------------------------------------------------------
// Reports

const printer = ts.createPrinter({ removeComments: true, omitTrailingSemicolon: true });

function printed(node: ts.Node): string {
  return printer
    .printNode(ts.EmitHint.Unspecified, node, node.getSourceFile())
    .replace(/\s+/g, " ")
    .replace(/^(export )?(default )?(declare )?/, "")
    .replace(/;$/, "")
    .trim();
}

const isDeprecated = (node: ts.Node) => ts.getJSDocDeprecatedTag(node) !== undefined;

interface Built {
  report: Record<string, ApiItem>;
  symbols: Map<string, ts.Symbol>;
}

/** One side of a comparison: the declarations of one tree, read through a shared checker. */
export interface Side {
  /** The package root that holds dist/ (emitted), generated/ and package.json. */
  root: string;
  entries: PackageEntries;
}

function makeProgram(files: string[], nodeModules: string): ts.Program {
  return ts.createProgram(files, {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2023.d.ts"],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: ["node"],
    typeRoots: [path.join(nodeModules, "@types")],
    skipLibCheck: true,
    noEmit: true,
  });
}

class ReportBuilder {
  private readonly items = new Map<ts.Symbol, { name: string; item: ApiItem }>();
  private readonly names = new Set<string>();
  private readonly polarity = new Map<ts.Symbol, Set<1 | -1>>();
  private readonly pending: ts.Symbol[] = [];
  private readonly distDir: string;

  constructor(
    private readonly checker: ts.TypeChecker,
    root: string,
  ) {
    this.distDir = realpathSync(path.join(root, "dist")) + path.sep;
  }

  build(entryFile: ts.SourceFile): Built {
    const moduleSymbol = this.checker.getSymbolAtLocation(entryFile);
    const exports = moduleSymbol ? this.checker.getExportsOfModule(moduleSymbol) : [];
    for (const exp of [...exports].sort((a, b) => a.name.localeCompare(b.name))) {
      const sym = this.resolve(exp);
      this.addItem(sym, exp.name, true);
    }
    // Values are what users receive from the package; types reach them through the values.
    for (const exp of exports) {
      const sym = this.resolve(exp);
      if (sym.flags & (ts.SymbolFlags.Value & ~ts.SymbolFlags.ValueModule)) this.reach(sym, 1);
    }
    while (this.pending.length > 0) this.describe(this.pending.shift()!);
    const report: Record<string, ApiItem> = {};
    const symbols = new Map<string, ts.Symbol>();
    for (const [sym, { name, item }] of [...this.items].sort((a, b) =>
      a[1].name.localeCompare(b[1].name),
    )) {
      const pols = this.polarity.get(sym);
      item.role = !pols || pols.size !== 1 ? "both" : pols.has(1) ? "output" : "input";
      report[name] = item;
      symbols.set(name, sym);
    }
    return { report, symbols };
  }

  private resolve(sym: ts.Symbol): ts.Symbol {
    return sym.flags & ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(sym) : sym;
  }

  private origin(sym: ts.Symbol): "local" | "schema" | "external" {
    const decl = sym.declarations?.[0];
    if (!decl) return "external";
    const file = decl.getSourceFile().fileName;
    if (file.startsWith(this.distDir)) return "local";
    if (/[\\/]generated[\\/][^\\/]+[\\/]schema\.d\.ts$/.test(file)) return "schema";
    return "external";
  }

  private addItem(sym: ts.Symbol, name: string, exported: boolean): void {
    if (this.items.has(sym)) return;
    let unique = name;
    for (let n = 2; this.names.has(unique); n++) unique = `${name}~${n}`;
    this.names.add(unique);
    const origin = this.origin(sym);
    const item: ApiItem = {
      kind: origin === "local" ? kindOf(sym) : origin,
      exported,
      generic: false,
      role: "both",
      deprecated: false,
      members: {},
    };
    this.items.set(sym, { name: unique, item });
    if (origin === "local") this.pending.push(sym);
  }

  /** Fills an item's members from its declarations, and follows the types they refer to. */
  private describe(sym: ts.Symbol): void {
    const item = this.items.get(sym)!.item;
    const add = (key: string, node: ts.Node, optional = false) => {
      const text = printed(node);
      const m = (item.members[key] ??= { text: "", optional, deprecated: [] });
      m.text = m.text ? `${m.text} ; ${text}` : text;
      m.optional &&= optional;
      if (isDeprecated(node)) m.deprecated.push(text);
    };
    for (const decl of sym.declarations ?? []) {
      if (isDeprecated(decl) && !ts.isFunctionDeclaration(decl)) item.deprecated = true;
      if (ts.isFunctionDeclaration(decl)) add("(call)", decl);
      else if (ts.isVariableDeclaration(decl)) add("(value)", decl);
      else if (ts.isClassDeclaration(decl) || ts.isInterfaceDeclaration(decl)) {
        if (decl.typeParameters?.length) {
          item.generic = true;
          item.members["(type parameters)"] = {
            text: decl.typeParameters.map(printed).join(", "),
            optional: false,
            deprecated: [],
          };
        }
        if (decl.heritageClauses?.length)
          item.members["(extends)"] = {
            text: decl.heritageClauses.map(printed).join(" "),
            optional: false,
            deprecated: [],
          };
        for (const m of decl.members as ts.NodeArray<ts.ClassElement | ts.TypeElement>) {
          const key = memberKey(m);
          if (key) add(key, m, isOptionalMember(m));
        }
      } else if (ts.isTypeAliasDeclaration(decl)) {
        if (decl.typeParameters?.length) item.generic = true;
        if (ts.isTypeLiteralNode(decl.type)) {
          if (decl.typeParameters?.length)
            item.members["(type parameters)"] = {
              text: decl.typeParameters.map(printed).join(", "),
              optional: false,
              deprecated: [],
            };
          for (const m of decl.type.members) {
            const key = memberKey(m);
            if (key) add(key, m, isOptionalMember(m));
          }
        } else add("(type)", decl);
      } else if (ts.isEnumDeclaration(decl)) {
        for (const m of decl.members) add(printed(m.name), m);
      } else if (ts.isModuleDeclaration(decl)) add("(namespace)", decl);
      // Follow what the declaration refers to (for the types it uses, and who reads or writes them).
      this.walk(decl, 0);
    }
  }

  /** Marks `sym` as met by users with polarity `pol` (1: they read it, -1: they write it). */
  private reach(sym: ts.Symbol, pol: 1 | -1): void {
    let set = this.polarity.get(sym);
    if (!set) this.polarity.set(sym, (set = new Set()));
    if (set.has(pol)) return;
    set.add(pol);
    if (this.origin(sym) !== "local") return;
    for (const decl of sym.declarations ?? []) this.walk(decl, pol);
  }

  /**
   * Walks a declaration or type node. With pol 0 it only collects the package's types it refers to;
   * with 1 or -1 it also propagates who reads (1) or writes (-1) them: a parameter flips it.
   */
  private walk(node: ts.Node, pol: 0 | 1 | -1): void {
    const flip = (p: 0 | 1 | -1) => (p === 0 ? 0 : (-p as 1 | -1));
    if (
      ts.isFunctionDeclaration(node) ||
      ts.isMethodSignature(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isCallSignatureDeclaration(node) ||
      ts.isConstructSignatureDeclaration(node) ||
      ts.isFunctionTypeNode(node) ||
      ts.isConstructorTypeNode(node) ||
      ts.isConstructorDeclaration(node) ||
      ts.isSetAccessorDeclaration(node)
    ) {
      for (const tp of node.typeParameters ?? []) {
        if (tp.constraint) this.walk(tp.constraint, flip(pol));
        if (tp.default) this.walk(tp.default, flip(pol));
      }
      for (const p of node.parameters) if (p.type) this.walk(p.type, flip(pol));
      if (node.type) this.walk(node.type, pol);
      return;
    }
    if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) {
      for (const m of node.members) {
        const flags = ts.getCombinedModifierFlags(m as ts.Declaration);
        if (flags & ts.ModifierFlags.Private || (m.name && ts.isPrivateIdentifier(m.name)))
          continue;
        this.walk(m, pol);
      }
      for (const h of node.heritageClauses ?? []) this.walk(h, pol);
      return;
    }
    if (ts.isTypeReferenceNode(node) || ts.isExpressionWithTypeArguments(node)) {
      const target = ts.isTypeReferenceNode(node) ? node.typeName : node.expression;
      this.refer(target, pol);
      for (const a of node.typeArguments ?? []) this.walk(a, pol);
      return;
    }
    if (ts.isTypeQueryNode(node)) {
      this.refer(node.exprName, pol);
      return;
    }
    ts.forEachChild(node, (child) => this.walk(child, pol));
  }

  private refer(name: ts.Node, pol: 0 | 1 | -1): void {
    const found = this.checker.getSymbolAtLocation(name);
    if (!found) return;
    const sym = this.resolve(found);
    if (sym.flags & ts.SymbolFlags.TypeParameter) return;
    if (this.origin(sym) === "local" && !this.items.has(sym)) this.addItem(sym, sym.name, false);
    if (pol !== 0) this.reach(sym, pol);
  }
}

function kindOf(sym: ts.Symbol): ItemKind {
  const f = sym.flags;
  if (f & ts.SymbolFlags.Class) return "class";
  if (f & ts.SymbolFlags.Function) return "function";
  if (f & ts.SymbolFlags.Enum) return "enum";
  if (f & ts.SymbolFlags.Variable) return "variable";
  if (f & ts.SymbolFlags.Interface) return "interface";
  if (f & ts.SymbolFlags.TypeAlias) return "type";
  return "namespace";
}

function memberKey(m: ts.ClassElement | ts.TypeElement): string | undefined {
  if (ts.isConstructorDeclaration(m) || ts.isConstructSignatureDeclaration(m)) return "(new)";
  if (ts.isCallSignatureDeclaration(m)) return "(call)";
  if (ts.isIndexSignatureDeclaration(m))
    return `[index: ${m.parameters[0]?.type ? printed(m.parameters[0].type) : "?"}]`;
  if (ts.isClassStaticBlockDeclaration(m) || ts.isSemicolonClassElement(m)) return undefined;
  const name = m.name;
  if (!name || ts.isPrivateIdentifier(name)) return undefined;
  const flags = ts.canHaveModifiers(m) ? ts.getCombinedModifierFlags(m as ts.Declaration) : 0;
  if (flags & ts.ModifierFlags.Private) return undefined;
  const text =
    ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)
      ? name.text
      : printed(name);
  return flags & ts.ModifierFlags.Static ? `static ${text}` : text;
}

function isOptionalMember(m: ts.ClassElement | ts.TypeElement): boolean {
  return "questionToken" in m && m.questionToken !== undefined;
}

// ---------------------------------------------------------------------------------------------
// Comparison

export interface ApiComparison {
  base: ApiReport;
  head: ApiReport;
  changes: ApiChange[];
}

/**
 * Reports both sides (their dist/ already emitted) in one program and compares them. `nodeModules`
 * is where both resolve their dependencies.
 */
export function compareApis(base: Side, head: Side, nodeModules: string): ApiComparison {
  const entryFile = (side: Side, subpath: string) =>
    path.resolve(side.root, side.entries.types.get(subpath)!);
  const files = [
    ...[...base.entries.types.keys()].map((s) => entryFile(base, s)),
    ...[...head.entries.types.keys()].map((s) => entryFile(head, s)),
  ].filter((f) => existsSync(f));
  const program = makeProgram(files, nodeModules);
  const checker = program.getTypeChecker();

  const reportSide = (side: Side) => {
    const report: ApiReport = {};
    const symbols = new Map<string, Map<string, ts.Symbol>>();
    for (const [subpath, target] of side.entries.files) report[subpath] = { file: target };
    for (const subpath of side.entries.types.keys()) {
      const sf = program.getSourceFile(entryFile(side, subpath));
      if (!sf) {
        report[subpath] = { file: `${side.entries.types.get(subpath)} (missing)` };
        continue;
      }
      const built = new ReportBuilder(checker, side.root).build(sf);
      report[subpath] = { items: built.report };
      symbols.set(subpath, built.symbols);
    }
    return { report, symbols };
  };
  const b = reportSide(base);
  const h = reportSide(head);
  const compat = new Compatibility(checker);
  const changes: ApiChange[] = [];
  for (const subpath of sortedUnion(Object.keys(b.report), Object.keys(h.report))) {
    const before = b.report[subpath];
    const after = h.report[subpath];
    if (!after) {
      changes.push({
        type: "breaking",
        entry: subpath,
        where: subpath,
        description: `entry point ${subpath} removed`,
      });
      continue;
    }
    if (!before) {
      changes.push({
        type: "non-breaking",
        entry: subpath,
        where: subpath,
        description: `entry point ${subpath} added`,
      });
      continue;
    }
    if (!("items" in before) || !("items" in after)) {
      if ("items" in before !== "items" in after)
        changes.push({
          type: "breaking",
          entry: subpath,
          where: subpath,
          description: `entry point ${subpath} changed between code and file`,
        });
      continue;
    }
    changes.push(
      ...compareEntry(subpath, before.items, after.items, (name, key, role) =>
        compat.member(
          b.symbols.get(subpath)!.get(name)!,
          h.symbols.get(subpath)!.get(name)!,
          before.items[name]!,
          key,
          role,
        ),
      ),
    );
  }
  return { base: b.report, head: h.report, changes: sortChanges(changes) };
}

const sortedUnion = (a: string[], b: string[]) => [...new Set([...a, ...b])].sort();

const ORDER: ApiChangeClass[] = ["breaking", "deprecated", "non-breaking"];
function sortChanges(changes: ApiChange[]): ApiChange[] {
  return changes.sort(
    (x, y) =>
      ORDER.indexOf(x.type) - ORDER.indexOf(y.type) ||
      x.entry.localeCompare(y.entry) ||
      x.where.localeCompare(y.where),
  );
}

type Judge = (item: string, key: string, role: Role) => boolean;

/** Compares one entry point's items; `judge` asks the compiler about a changed member. */
export function compareEntry(
  entry: string,
  before: Record<string, ApiItem>,
  after: Record<string, ApiItem>,
  judge: Judge,
): ApiChange[] {
  const changes: ApiChange[] = [];
  const push = (type: ApiChangeClass, where: string, description: string) =>
    changes.push({ type, entry, where, description });
  for (const name of sortedUnion(Object.keys(before), Object.keys(after))) {
    const b = before[name];
    const a = after[name];
    const label = (x: ApiItem) =>
      x.exported ? name : `${name} (not exported, used by the exports)`;
    if (!a || !b) {
      // Internal types come and go with refactors: the exports that use them show the change.
      if (b?.exported && !(a && a.exported))
        push("breaking", name, `${b.kind} ${name} no longer exported`);
      else if (a?.exported && !b?.exported) push("non-breaking", name, `${a.kind} ${name} added`);
      continue;
    }
    if (b.exported && !a.exported) {
      push("breaking", name, `${b.kind} ${name} no longer exported`);
      continue;
    }
    if (!b.exported && a.exported) push("non-breaking", name, `${a.kind} ${name} now exported`);
    if (b.kind !== a.kind) {
      push("breaking", label(b), `${name} was ${article(b.kind)}, is now ${article(a.kind)}`);
      continue;
    }
    if (a.deprecated && !b.deprecated) push("deprecated", label(a), `${name} deprecated`);
    const role = mergeRoles(b.role, a.role);
    for (const key of sortedUnion(Object.keys(b.members), Object.keys(a.members))) {
      const bm = b.members[key];
      const am = a.members[key];
      const where = `${label(a)} › ${key}`;
      if (!am) {
        // Gone from the declaration may still be there, inherited (moved to a base type).
        if (judge(name, key, role))
          push(
            "non-breaking",
            where,
            `no longer declared here, still there compatibly: ${bm!.text}`,
          );
        else push("breaking", where, `removed: ${bm!.text}`);
        continue;
      }
      if (!bm) {
        const harmless =
          am.optional ||
          a.kind === "class" ||
          a.kind === "enum" ||
          role === "output" ||
          judge(name, key, role);
        push(
          harmless ? "non-breaking" : "breaking",
          where,
          harmless
            ? `added: ${am.text}`
            : `added, required in a type users build (${role}): ${am.text}`,
        );
        continue;
      }
      if (bm.text !== am.text) {
        if (judge(name, key, role))
          push("non-breaking", where, `changed compatibly: ${bm.text} → ${am.text}`);
        else push("breaking", where, `changed: ${bm.text} → ${am.text}`);
      }
      const newlyDeprecated = am.deprecated.filter((d) => !bm.deprecated.includes(d));
      if (newlyDeprecated.length > 0)
        push("deprecated", where, `deprecated: ${newlyDeprecated.join(" ; ")}`);
    }
  }
  return changes;
}

const article = (kind: string) => (/^[aeiou]/.test(kind) ? `an ${kind}` : `a ${kind}`);

const isStructuralKey = (key: string) =>
  key === "(extends)" ||
  key === "(type parameters)" ||
  key === "(call)" ||
  key === "(new)" ||
  key.startsWith("[index");

function mergeRoles(a: Role, b: Role): Role {
  return a === b ? a : "both";
}

/** The compiler's view of whether a changed member still serves its users. */
class Compatibility {
  constructor(private readonly checker: ts.TypeChecker) {}

  member(base: ts.Symbol, head: ts.Symbol, item: ApiItem, key: string, role: Role): boolean {
    try {
      return this.judge(base, head, item, key, role);
    } catch {
      return false; // what the compiler cannot settle counts as breaking
    }
  }

  private judge(base: ts.Symbol, head: ts.Symbol, item: ApiItem, key: string, role: Role): boolean {
    const c = this.checker;
    switch (item.kind) {
      case "function":
        return this.callable(c.getTypeOfSymbol(base), c.getTypeOfSymbol(head), "call", true);
      case "variable":
        return this.byRole(c.getTypeOfSymbol(base), c.getTypeOfSymbol(head), "output");
      case "class":
      case "interface":
      case "type": {
        if (key === "(new)")
          return this.callable(
            c.getTypeOfSymbol(base),
            c.getTypeOfSymbol(head),
            "construct",
            false,
          );
        const instance = (s: ts.Symbol) => c.getDeclaredTypeOfSymbol(s);
        // A generic type as a whole is not comparable across two declarations (each has its own
        // type parameters); its members are, as long as they do not use them.
        if (isStructuralKey(key) || key === "(type)")
          return !item.generic && this.byRole(instance(base), instance(head), role);
        const isStatic = key.startsWith("static ");
        const name = isStatic ? key.slice("static ".length) : key;
        const owner = (s: ts.Symbol) => (isStatic ? c.getTypeOfSymbol(s) : instance(s));
        const bp = c.getPropertyOfType(owner(base), name);
        const hp = c.getPropertyOfType(owner(head), name);
        if (!bp || !hp) return false;
        const bt = c.getTypeOfSymbol(bp);
        const ht = c.getTypeOfSymbol(hp);
        const method = (p: ts.Symbol) =>
          p.declarations?.some((d) => ts.isMethodSignature(d) || ts.isMethodDeclaration(d));
        if (method(bp) && method(hp)) {
          const calls = this.callable(bt, ht, "call", true);
          if (role === "output") return calls;
          const implementable = c.isTypeAssignableTo(bt, ht);
          return role === "input" ? implementable : calls && implementable;
        }
        return this.byRole(bt, ht, item.kind === "class" && role === "both" ? "output" : role);
      }
      default:
        return false;
    }
  }

  private byRole(before: ts.Type, after: ts.Type, role: Role): boolean {
    const c = this.checker;
    const reads = () => c.isTypeAssignableTo(after, before);
    const writes = () => c.isTypeAssignableTo(before, after);
    return role === "output" ? reads() : role === "input" ? writes() : reads() && writes();
  }

  /** Every old signature has a new one taking the old arguments (and, with `returns`, giving a usable result). */
  private callable(
    before: ts.Type,
    after: ts.Type,
    kind: "call" | "construct",
    returns: boolean,
  ): boolean {
    const c = this.checker;
    const sigs = (t: ts.Type) =>
      kind === "call" ? t.getCallSignatures() : t.getConstructSignatures();
    const olds = sigs(before);
    const news = sigs(after);
    if (olds.length === 0 || news.length === 0)
      return olds.length === news.length && this.byRole(before, after, "output");
    return olds.every((o) =>
      news.some((n) => {
        const [oMin, oMax] = arity(c, o);
        const [nMin, nMax] = arity(c, n);
        if (nMin > oMin || nMax < oMax) return false;
        // The arguments callers passed must still be accepted, position by position (a rest
        // parameter only against a rest parameter: anything subtler counts as breaking).
        // A type written the same on both sides counts as the same: the package's types it names
        // are items of the report, compared on their own (and two declarations of one generic type
        // are beyond the compiler's comparison). That holds only under the same type parameters.
        const sameTypeParameters =
          typeParametersText(o.getDeclaration()) === typeParametersText(n.getDeclaration());
        const same = (x: ts.Node | undefined, y: ts.Node | undefined) =>
          sameTypeParameters && typeText(x) !== undefined && typeText(x) === typeText(y);
        for (let i = 0; i < o.parameters.length; i++) {
          const op = o.parameters[i]!;
          const np = n.parameters[i];
          if (!np || isRest(op) !== isRest(np)) return false;
          if (same(op.valueDeclaration, np.valueDeclaration)) continue;
          if (!c.isTypeAssignableTo(c.getTypeOfSymbol(op), c.getTypeOfSymbol(np))) return false;
        }
        if (!returns || same(o.getDeclaration(), n.getDeclaration())) return true;
        return c.isTypeAssignableTo(c.getReturnTypeOfSignature(n), c.getReturnTypeOfSignature(o));
      }),
    );
  }
}

/** The printed type annotation of a parameter or a signature's return. */
function typeText(node: ts.Node | undefined): string | undefined {
  const type = node && (node as { type?: ts.Node }).type;
  return type && ts.isTypeNode(type) ? printed(type) : undefined;
}

function typeParametersText(decl: ts.SignatureDeclaration | undefined): string {
  return decl?.typeParameters?.map(printed).join(", ") ?? "";
}

function isRest(p: ts.Symbol): boolean {
  const decl = p.valueDeclaration;
  return !!decl && ts.isParameter(decl) && decl.dotDotDotToken !== undefined;
}

function arity(checker: ts.TypeChecker, sig: ts.Signature): [min: number, max: number] {
  let min = 0;
  let max = 0;
  for (const p of sig.parameters) {
    if (isRest(p)) return [min, Infinity];
    max++;
    const decl = p.valueDeclaration;
    if (!(decl && ts.isParameter(decl) && checker.isOptionalParameter(decl))) min = max;
  }
  return [min, max];
}
