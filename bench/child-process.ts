// Runs a bench script in its own Node process (its memory and start-up are its own) and returns the
// JSON its last output line holds.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "../scripts/lib/vendors.js";

export async function benchChild<T>(
  script: string,
  args: readonly string[],
  nodeFlags: readonly string[] = [],
): Promise<T> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...nodeFlags, "--import", "tsx", path.join(repoRoot, "bench", script), ...args],
    { cwd: repoRoot, maxBuffer: 16 * 2 ** 20 },
  );
  return JSON.parse(stdout.trim().split("\n").pop()!) as T;
}
