// `npm run mock -- <vendor>` as a user runs it: the sandbox in its own process, then the README's
// out-of-process paging example run against it from another process, with the credentials the
// command printed. Also what the command refuses, and that Ctrl-C stops it.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { repoRoot } from "../../scripts/lib/vendors.js";
import { DEFAULT_ORDER_COUNT } from "../../src/hubrise/sandbox/index.js";

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
});

async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `npm run mock -- …args` (what the script runs: scripts/mock.ts through tsx). */
function mock(args: string[]) {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(repoRoot, "scripts", "mock.ts"), ...args],
    { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] },
  );
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = once(child, "exit").then(([code]) => code as number | null);
  return {
    child,
    exited,
    output: () => ({ stdout, stderr }),
    /** Resolves with stdout once it holds `text`. */
    async printed(text: string): Promise<string> {
      while (!stdout.includes(text)) {
        const ended = await Promise.race([
          once(child.stdout!, "data").then(() => false),
          exited.then(() => true),
        ]);
        if (ended && !stdout.includes(text))
          throw new Error(`the sandbox ended before printing ${text}:\n${stdout}${stderr}`);
      }
      return stdout;
    },
  };
}

/** The README's out-of-process example: the `ts` block of "## Sandboxes" that reads the env. */
async function readmeExample(): Promise<string> {
  const readme = await readFile(path.join(repoRoot, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Sandboxes"));
  const blocks = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const block = blocks.find((b) => b.includes("process.env.HUBRISE_ACCESS_TOKEN"));
  if (!block) throw new Error("README.md's Sandboxes section has no env-reading HubRise example");
  return block;
}

describe("npm run mock -- <vendor> (the sandbox command)", () => {
  it("serves HubRise; the README's paging example from another process gets every order once", async () => {
    const port = await freePort();
    const sandbox = mock(["hubrise", "--port", String(port)]);
    const printed = await sandbox.printed("Ctrl-C");
    expect(printed).toContain(`HubRise sandbox: http://127.0.0.1:${port}/v1`);
    const token = /export HUBRISE_ACCESS_TOKEN=(\S+)/.exec(printed)?.[1];
    expect(token).toMatch(/^sandbox-/);

    // The example as printed in the README, on the port this test could have (4010 may be taken),
    // importing the built package as a user's project would.
    const dir = await mkdtemp(path.join(os.tmpdir(), "readme-sandbox-"));
    try {
      const example = (await readmeExample())
        .replace("http://127.0.0.1:4010", `http://127.0.0.1:${port}`)
        .replace(
          '"commerce-openapi/hubrise"',
          JSON.stringify(pathToFileURL(path.join(repoRoot, "dist", "hubrise", "index.js")).href),
        );
      const file = path.join(dir, "example.mts");
      await writeFile(file, example);
      const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", file], {
        cwd: repoRoot,
        env: { ...process.env, HUBRISE_ACCESS_TOKEN: token },
        timeout: 120_000,
      });
      expect(stdout.trim()).toBe(`${DEFAULT_ORDER_COUNT} orders`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    // Ctrl-C closes the sandbox and ends the process cleanly.
    sandbox.child.kill("SIGINT");
    expect(await sandbox.exited).toBe(0);
  }, 180_000);

  it("starts every vendor's sandbox with a seed, and its credentials depend on the seed", async () => {
    for (const vendor of ["hiboutik", "subscriptions-only", "hike"]) {
      const runs = [];
      for (const seed of ["a", "a", "b"]) {
        const sandbox = mock([vendor, "--port", "0", "--seed", seed]);
        runs.push(
          (await sandbox.printed("Ctrl-C")).split("\n").filter((l) => l.includes("export")),
        );
        sandbox.child.kill("SIGTERM");
        expect(await sandbox.exited).toBe(0);
      }
      expect(runs[0]!.length).toBeGreaterThan(0);
      expect(runs[0]).toEqual(runs[1]);
      expect(runs[0]).not.toEqual(runs[2]);
    }
  }, 120_000);

  it("refuses an unknown vendor, a bad port and a data set the description does not allow", async () => {
    const unknown = mock(["nowhere"]);
    expect(await unknown.exited).toBe(2);
    expect(unknown.output().stderr).toContain(
      "vendors: hubrise, hiboutik, subscriptions-only, hike",
    );
    const badPort = mock(["hubrise", "--port", "99999"]);
    expect(await badPort.exited).toBe(2);

    const dir = await mkdtemp(path.join(os.tmpdir(), "sandbox-data-"));
    try {
      const file = path.join(dir, "data.json");
      await writeFile(file, JSON.stringify({ addOns: [{ unique_id: 7 }] }));
      const bad = mock(["subscriptions-only", "--port", "0", "--data", file]);
      expect(await bad.exited).toBe(1);
      expect(bad.output().stderr).toMatch(/data\.addOns\[0\] is not a AddOn/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
