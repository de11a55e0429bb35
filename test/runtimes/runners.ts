// How each runtime of the matrix runs the portable suite. The suite is bundled once (esbuild,
// platform neutral, ESM) into a temporary folder; each runtime then loads it through a few lines
// written beside it that hold the run's config and hand the report back: on stdout (Node, Deno,
// Bun), as the answer of one HTTP request (workerd) or as a global of the page (Chromium). Every
// child process is bounded in time and killed when it overruns; nothing reaches beyond 127.0.0.1.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { repoRoot } from "../../scripts/lib/vendors.js";
import type { SuiteConfig, SuiteReport } from "./portable-suite.js";

export interface Runtime {
  name: string;
  /** The executable, and what installs it where it is missing. */
  executable: string;
  install: string;
  /** Whether the suite runs in a page on another origin (CORS, opaque redirects). */
  browser: boolean;
  run(dir: string, config: SuiteConfig): Promise<SuiteReport>;
}

/**
 * The longest a runtime may take to start, run the suite and answer: more than the suite's five
 * checks in a row at their deadline, less than the test's own timeout (60 s).
 */
const RUN_TIMEOUT_MS = 45_000;

const bin = (...parts: string[]) => path.join(repoRoot, "node_modules", ...parts);

export const RUNTIMES: readonly Runtime[] = [
  {
    name: `Node ${process.versions.node.split(".")[0]}`,
    executable: process.execPath,
    install: "Node itself",
    browser: false,
    run: (dir, config) =>
      runScript(dir, config, process.execPath, (script) => ["--no-warnings", script]),
  },
  {
    name: "Deno",
    executable: bin("@deno", "linux-x64-glibc", "deno"),
    install: "npm ci installs @deno/linux-x64-glibc (a dev dependency; Linux x64 only)",
    browser: false,
    // The network to 127.0.0.1 and nothing else: no file, environment or other permission.
    run: (dir, config) =>
      runScript(dir, config, bin("@deno", "linux-x64-glibc", "deno"), (script) => [
        "run",
        "--allow-net=127.0.0.1",
        "--no-prompt",
        "--no-config",
        "--no-lock",
        script,
      ]),
  },
  {
    name: "Bun",
    executable: bin("@oven", "bun-linux-x64", "bin", "bun"),
    install: "npm ci installs @oven/bun-linux-x64 (a dev dependency; Linux x64 only)",
    browser: false,
    run: (dir, config) =>
      runScript(dir, config, bin("@oven", "bun-linux-x64", "bin", "bun"), (script) => [
        "run",
        "--no-install",
        script,
      ]),
  },
  {
    name: "workerd",
    executable: bin("@cloudflare", "workerd-linux-64", "bin", "workerd"),
    install: "npm ci installs @cloudflare/workerd-linux-64 (a dev dependency; Linux x64 only)",
    browser: false,
    run: runWorkerd,
  },
  {
    name: "Chromium",
    executable: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    install: "apt-get install chromium, or set CHROMIUM_PATH (.ci/run installs it)",
    browser: true,
    run: runChromium,
  },
];

export const isInstalled = (runtime: Runtime) => existsSync(runtime.executable);
const runtimeNamed = (name: string) => RUNTIMES.find((r) => r.name === name)!;

/** Bundles the suite and the clients it imports from src/ into `dir/suite.js`. */
export async function bundleSuite(dir: string): Promise<void> {
  await build({
    entryPoints: [path.join(repoRoot, "test", "runtimes", "portable-suite.ts")],
    outfile: path.join(dir, "suite.js"),
    bundle: true,
    format: "esm",
    // Neutral: no runtime's built-ins resolve, and no Node-only condition is chosen.
    platform: "neutral",
    mainFields: ["module", "main"],
    target: "es2022",
    logLevel: "silent",
  });
}

/** The config as a JavaScript literal in a generated module. */
const literal = (config: SuiteConfig) => JSON.stringify(config, null, 2);

/** A script that runs the suite and prints its report as one line of JSON. */
async function runScript(
  dir: string,
  config: SuiteConfig,
  executable: string,
  args: (script: string) => string[],
): Promise<SuiteReport> {
  const script = path.join(dir, `run-${slug(config.runtime)}.mjs`);
  await writeFile(
    script,
    `import { runPortableSuite } from "./suite.js";\n` +
      `const report = await runPortableSuite(${literal(config)});\n` +
      `console.log(JSON.stringify(report));\n`,
  );
  const { stdout } = await bounded(spawn(executable, args(script), spawnOptions(dir)));
  return parseReport(stdout.trim().split("\n").at(-1) ?? "");
}

/**
 * workerd: a worker made of the suite and a fetch handler that runs it, on a socket of a free
 * port that workerd reports on its control descriptor; its outbound network is 127.0.0.1 only.
 */
async function runWorkerd(dir: string, config: SuiteConfig): Promise<SuiteReport> {
  const worker = path.join(dir, "worker.js");
  await writeFile(
    worker,
    `import { runPortableSuite } from "./suite.js";\n` +
      `const config = ${literal(config)};\n` +
      `export default {\n` +
      `  async fetch() {\n` +
      `    return Response.json(await runPortableSuite(config));\n` +
      `  },\n` +
      `};\n`,
  );
  await writeFile(
    path.join(dir, "config.capnp"),
    `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "suite", worker = .suite),
    (name = "loopback", network = (allow = ["127.0.0.1/32"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "suite")],
);

const suite :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "suite.js", esModule = embed "suite.js"),
  ],
  compatibilityDate = "2025-09-01",
  globalOutbound = "loopback",
);
`,
  );
  const executable = runtimeNamed("workerd").executable;
  const child = spawn(executable, ["serve", "config.capnp", "--control-fd=3"], {
    ...spawnOptions(dir),
    stdio: ["ignore", "pipe", "pipe", "pipe"],
  });
  const exited = bounded(child);
  const exitedEarly = exited.then(() => {
    throw new Error("workerd exited before listening");
  });
  exitedEarly.catch(() => undefined); // raced below; its later end is no news
  try {
    const port = await Promise.race([listeningPort(child), exitedEarly]);
    const response = await fetch(`http://127.0.0.1:${port}/`, {
      signal: AbortSignal.timeout(RUN_TIMEOUT_MS),
    });
    const text = await response.text();
    if (!response.ok)
      throw new Error(`workerd answered ${response.status}: ${text.slice(0, 2000)}`);
    return parseReport(text);
  } catch (err) {
    child.kill("SIGKILL");
    const { stderr } = await exited.catch((e: Error) => ({ stderr: e.message }));
    throw new Error(`${(err as Error).message}\n${stderr.slice(-2000)}`);
  } finally {
    child.kill("SIGTERM");
    await exited.catch(() => undefined);
  }
}

/** The port of the first socket workerd reports listening on (`--control-fd`). */
function listeningPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const control = child.stdio[3] as NodeJS.ReadableStream;
    control.on("data", (chunk: Buffer) => {
      seen += chunk.toString("utf8");
      for (const line of seen.split("\n")) {
        try {
          const message = JSON.parse(line) as { event?: string; port?: number };
          if (message.event === "listen" && typeof message.port === "number")
            return resolve(message.port);
        } catch {
          // A partial line: wait for the rest.
        }
      }
    });
    control.on("error", reject);
  });
}

/**
 * Chromium: a page served from its own loopback origin loads the suite as a module script (the
 * sandboxes answer its CORS preflights); the report is read from the page once it is there.
 */
async function runChromium(dir: string, config: SuiteConfig): Promise<SuiteReport> {
  const page = path.join(dir, "page");
  await mkdir(page, { recursive: true });
  await writeFile(path.join(page, "suite.js"), await readFile(path.join(dir, "suite.js")));
  await writeFile(
    path.join(page, "run.js"),
    `import { runPortableSuite } from "./suite.js";\n` +
      `globalThis.portableReport = await runPortableSuite(${literal(config)});\n`,
  );
  await writeFile(
    path.join(page, "index.html"),
    `<!doctype html>\n<meta charset="utf-8">\n<title>portable suite</title>\n` +
      `<script type="module" src="./run.js"></script>\n`,
  );
  const types: Record<string, string> = { ".html": "text/html", ".js": "text/javascript" };
  const server = createServer((req, res) => {
    const name = path.basename(new URL(req.url ?? "/", "http://x").pathname) || "index.html";
    readFile(path.join(page, name)).then(
      (bytes) => {
        res.writeHead(200, { "Content-Type": types[path.extname(name)] ?? "text/plain" });
        res.end(bytes);
      },
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: runtimeNamed("Chromium").executable,
    args: CHROMIUM_ARGS,
    timeout: RUN_TIMEOUT_MS,
  });
  const errors: string[] = [];
  try {
    const tab = await browser.newPage();
    tab.on("pageerror", (err) => errors.push(err.message));
    tab.on("console", (msg) => {
      if (msg.type() === "error") errors.push(msg.text());
    });
    // Nothing beyond 127.0.0.1, whatever the page or the browser itself asks for.
    await tab.context().route(
      (url) => url.hostname !== "127.0.0.1",
      (route) => {
        errors.push(`blocked a request to ${route.request().url()}`);
        return route.abort("blockedbyclient");
      },
    );
    await tab.goto(`${origin}/index.html`);
    const report = await tab.waitForFunction(
      () => (globalThis as { portableReport?: unknown }).portableReport,
      undefined,
      { timeout: RUN_TIMEOUT_MS, polling: 100 },
    );
    return parseReport(JSON.stringify(await report.jsonValue()));
  } catch (err) {
    throw new Error(`${(err as Error).message}\npage errors: ${errors.join("\n") || "none"}`);
  } finally {
    await browser.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

// The docs browser test's flags for a closed network: without the background-networking ones
// Chromium itself tries to reach its update and sync services at start.
const CHROMIUM_ARGS = [
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A child in `dir` with a minimal environment: no proxy, no telemetry, caches in `dir`. */
function spawnOptions(dir: string) {
  return {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"] as ["ignore", "pipe", "pipe"],
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: dir,
      DENO_DIR: path.join(dir, ".deno"),
      DENO_NO_UPDATE_CHECK: "1",
      BUN_INSTALL_CACHE_DIR: path.join(dir, ".bun"),
      DO_NOT_TRACK: "1",
      NO_COLOR: "1",
    },
  };
}

/**
 * Waits for `child` to exit and resolves with its output when it exits with 0; rejects with the
 * end of its stderr otherwise, and kills it when it runs longer than RUN_TIMEOUT_MS.
 */
function bounded(child: ChildProcess): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    const cap = (text: string) => (text.length > 1_000_000 ? text.slice(-1_000_000) : text);
    child.stdout?.on("data", (c: Buffer) => (stdout = cap(stdout + c.toString("utf8"))));
    child.stderr?.on("data", (c: Buffer) => (stderr = cap(stderr + c.toString("utf8"))));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, RUN_TIMEOUT_MS);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve({ stdout, stderr });
      const why = timedOut
        ? `killed after ${RUN_TIMEOUT_MS} ms`
        : `exited with ${code ?? signal ?? "?"}`;
      reject(new Error(`${why}\n${stderr.slice(-3000)}\n${stdout.slice(-1000)}`));
    });
  });
}

function parseReport(text: string): SuiteReport {
  try {
    return JSON.parse(text) as SuiteReport;
  } catch {
    throw new Error(`no report, but: ${text.slice(0, 2000)}`);
  }
}

const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
