// The build skips a step only when its inputs hash the same and its outputs are as it left them.
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cached, cacheDir, hashInputs, remember } from "../scripts/lib/build-cache.js";
import { repoRoot } from "../scripts/lib/vendors.js";

const dir = path.join(repoRoot, "test-results", "build-cache");
const rel = path.relative(repoRoot, dir);
const step = `test-step-${process.pid}`;

afterAll(async () => {
  await rm(path.join(cacheDir, `${step}.json`), { force: true });
});

describe("build cache", () => {
  it("hits when nothing changed, misses when an input or an output changed", async () => {
    await mkdir(path.join(dir, "in"), { recursive: true });
    await writeFile(path.join(dir, "in", "a.yaml"), "a: 1\n");
    await writeFile(path.join(dir, "out.json"), "{}\n");
    const inputs = await hashInputs([`${rel}/in`]);
    await remember(step, inputs, [path.join(dir, "out.json")], { operations: 3 });

    expect(await cached(step, inputs)).toEqual({ operations: 3 });
    expect(await hashInputs([`${rel}/in`])).toBe(inputs);

    // An input edited, added or renamed changes the hash.
    await writeFile(path.join(dir, "in", "a.yaml"), "a: 2\n");
    const edited = await hashInputs([`${rel}/in`]);
    expect(edited).not.toBe(inputs);
    expect(await cached(step, edited)).toBeUndefined();
    await writeFile(path.join(dir, "in", "a.yaml"), "a: 1\n");
    await writeFile(path.join(dir, "in", "b.yaml"), "b: 1\n");
    expect(await hashInputs([`${rel}/in`])).not.toBe(inputs);
    await rm(path.join(dir, "in", "b.yaml"));

    // An output touched by hand (or deleted) is rebuilt.
    await writeFile(path.join(dir, "out.json"), "{ }\n");
    expect(await cached(step, inputs)).toBeUndefined();
    await rm(path.join(dir, "out.json"));
    expect(await cached(step, inputs)).toBeUndefined();
  });
});
