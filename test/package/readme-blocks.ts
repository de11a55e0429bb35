// The TypeScript blocks of a Markdown text. Each ```ts block must compile as a module of its own
// against the package; a block that is a deliberate fragment (an excerpt that cannot stand alone)
// says so in its info string, ```ts fragment, and is left out.
export interface CodeBlock {
  /** The 1-based line of the block's opening fence. */
  line: number;
  source: string;
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
    if (isTypeScript && !info[2]!.includes("fragment")) {
      blocks.push({ line: i + 1, source: lines.slice(i + 1, end).join("\n") });
    }
    i = end;
  }
  return blocks;
}
