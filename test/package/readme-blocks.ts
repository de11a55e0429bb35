// The TypeScript blocks of a Markdown text. Each ```ts block must compile as a module of its own
// against the package, and runs against the vendors' stand-ins. Its info string can say otherwise:
// ```ts compile-only for a block that must compile but does not end by itself (a server, a
// webhook receiver), ```ts fragment for an excerpt that cannot stand alone (left out).
export interface CodeBlock {
  /** The 1-based line of the block's opening fence. */
  line: number;
  source: string;
  /** Whether the block runs to its end by itself (it is run by the tests). */
  runs: boolean;
}

export function readmeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const info = /^```(\S*)(.*)$/.exec(lines[i]!);
    if (!info) continue;
    const end = lines.indexOf("```", i + 1);
    if (end < 0) break;
    const isTypeScript = info[1] === "ts" || info[1] === "typescript";
    const flags = info[2]!.trim().split(/\s+/);
    if (isTypeScript && !flags.includes("fragment")) {
      const source = lines.slice(i + 1, end).join("\n");
      blocks.push({ line: i + 1, source, runs: !flags.includes("compile-only") });
    }
    i = end;
  }
  return blocks;
}
