// Type-level guarantees, checked by the real compiler: the project type-checks under strict
// settings, and a consumer of the published package gets errors for wrong paths, parameters and
// bodies (see test/types/consumer/hubrise.ts).
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../scripts/lib/vendors.js";

const tsc = path.join(repoRoot, "node_modules", "typescript", "bin", "tsc");

async function typecheck(project: string): Promise<string> {
  try {
    await promisify(execFile)(process.execPath, [tsc, "--noEmit", "-p", project], {
      cwd: repoRoot,
    });
    return "";
  } catch (err) {
    return String((err as { stdout?: string }).stdout ?? err);
  }
}

describe("types", () => {
  it("the whole project type-checks (strict)", async () => {
    expect(await typecheck("tsconfig.json")).toBe("");
  }, 120_000);

  it("a consumer of commerce-openapi/hubrise gets exactly the expected type errors", async () => {
    expect(await typecheck("test/types/consumer/tsconfig.json")).toBe("");
  }, 120_000);
});
