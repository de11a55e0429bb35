// The names `schema-names-not-globals` refuses (spectral-functions/schemaNamesNotGlobals.js) are
// checked against the installed TypeScript: its ES list is exactly the globals TypeScript's
// lib.esnext.d.ts declares, and each web-platform name is a global of lib.dom.d.ts. A TypeScript
// upgrade that adds a global fails here until the list is updated.
import path from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../scripts/lib/vendors.js";

const rule = (await import(
  pathToFileURL(path.join(repoRoot, "spectral-functions", "schemaNamesNotGlobals.js")).href
)) as {
  ES_GLOBALS: string[];
  WEB_GLOBALS: string[];
  shadowedGlobal: (name: unknown) => string | undefined;
};

/** Every global value, type and namespace a program compiled with these libs sees. */
function globalsOf(lib: string[]): Set<string> {
  const file = path.join(repoRoot, "test-results", "globals-probe.ts");
  const host = ts.createCompilerHost({});
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.getSourceFile = (name, language) =>
    name === file
      ? ts.createSourceFile(name, "export {};", language)
      : getSourceFile(name, language);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], { lib, types: [], noEmit: true }, host);
  const symbols = program
    .getTypeChecker()
    .getSymbolsInScope(
      program.getSourceFile(file)!,
      ts.SymbolFlags.Type | ts.SymbolFlags.Value | ts.SymbolFlags.Namespace,
    );
  return new Set(symbols.map((s) => s.name));
}

describe("schema-names-not-globals: the names it refuses", () => {
  it("lists exactly the globals of TypeScript's lib.esnext.d.ts", () => {
    const es = [...globalsOf(["lib.esnext.d.ts"])].sort();
    expect(es).toContain("Record");
    expect([...rule.ES_GLOBALS].sort()).toEqual(es);
  });

  it("lists only web-platform names that lib.dom.d.ts declares as globals", () => {
    const dom = globalsOf(["lib.esnext.d.ts", "lib.dom.d.ts"]);
    expect(rule.WEB_GLOBALS.filter((name) => !dom.has(name))).toEqual([]);
    expect(rule.WEB_GLOBALS).toEqual(expect.arrayContaining(["Response", "Blob", "URL", "Event"]));
  });

  it("matches names as generators print them (PascalCase), not other names", () => {
    for (const [name, global] of [
      ["Record", "Record"],
      ["Error", "Error"],
      ["Date", "Date"],
      ["error", "Error"],
      ["date", "Date"],
      ["record", "Record"],
      ["Headers", "Headers"],
    ] as const)
      expect(rule.shadowedGlobal(name), name).toBe(global);
    for (const name of ["ErrorBody", "CalendarDate", "DateTime", "Location", "Order", "", 3])
      expect(rule.shadowedGlobal(name), String(name)).toBeUndefined();
  });
});
