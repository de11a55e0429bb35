// Skips build work whose inputs did not change. Each step's inputs are hashed (file paths and
// contents, the tool versions through package-lock.json, the Node version); a step whose hash and
// outputs are those recorded in .build-cache/ by the last build is not run again. Fresh clones (CI)
// have no cache and build everything; `npm run build -- --force` ignores it.
import { createHash } from "node:crypto";
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { repoRoot } from "./vendors.js";

export const cacheDir = path.join(repoRoot, ".build-cache");

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** A hash of the given files and folders (every file under them), by relative path and content. */
export async function hashInputs(inputs: readonly string[], extra = ""): Promise<string> {
  const hash = createHash("sha256").update(`${process.version}\n${extra}\n`);
  for (const input of inputs) {
    const absolute = path.join(repoRoot, input);
    const under = await filesUnder(absolute);
    const files = under.length > 0 ? under : [absolute];
    for (const file of files) {
      const content = await readFile(file).catch(() => Buffer.from("(missing)"));
      hash
        .update(`${path.relative(repoRoot, file)}\0`)
        .update(content)
        .update("\0");
    }
  }
  return hash.digest("hex");
}

const hashFile = async (file: string) =>
  createHash("sha256")
    .update(await readFile(file))
    .digest("hex");

export interface CacheRecord<T> {
  inputs: string;
  /** Output file (relative) → content hash. */
  outputs: Record<string, string>;
  /** What the step reported, replayed when it is skipped. */
  result: T;
}

/** The recorded result of `step` if its inputs hash to `inputs` and its outputs are as it left them. */
export async function cached<T>(step: string, inputs: string): Promise<T | undefined> {
  const record = await readFile(path.join(cacheDir, `${step}.json`), "utf8")
    .then((text) => JSON.parse(text) as CacheRecord<T>)
    .catch(() => undefined);
  if (!record || record.inputs !== inputs) return undefined;
  for (const [file, hash] of Object.entries(record.outputs)) {
    const actual = await hashFile(path.join(repoRoot, file)).catch(() => undefined);
    if (actual !== hash) return undefined;
  }
  return record.result;
}

export async function remember<T>(
  step: string,
  inputs: string,
  outputs: readonly string[],
  result: T,
): Promise<void> {
  const record: CacheRecord<T> = { inputs, outputs: {}, result };
  for (const file of outputs) record.outputs[path.relative(repoRoot, file)] = await hashFile(file);
  await mkdir(cacheDir, { recursive: true });
  await writeFile(path.join(cacheDir, `${step}.json`), JSON.stringify(record));
}
