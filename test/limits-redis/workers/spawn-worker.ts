// The parent's side of the worker processes: each worker is `node --import tsx <script>` with its
// parameters as JSON in LIMITS_WORKER, says what it is doing on stdout (one JSON object a line) and
// ends with its result as the last line. Every worker started here is killed by `killWorkers()`
// (the tests' afterAll) and when this process exits, so a failed test leaves none behind; each has
// a deadline after which it is killed and its result rejects, so a hang is a failure, not a stall.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "..", "..", "..");

export interface Worker<T> {
  name: string;
  proc: ChildProcess;
  /** The JSON lines it printed so far. */
  messages: Record<string, unknown>[];
  /** Its last line, parsed, once it exited with 0; rejects with its output otherwise. */
  result: Promise<T>;
  /** Writes "go" to its stdin and closes it: a worker waiting for it starts then. */
  go(): void;
  /** Resolves with the first message `test` accepts (rejects if the worker ends first). */
  message(test: (m: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
}

const live = new Set<ChildProcess>();
process.once("exit", () => killWorkers());

/** Kills every worker still running (SIGKILL). */
export function killWorkers(): void {
  for (const proc of live) proc.kill("SIGKILL");
  live.clear();
}

export function spawnWorker<T>(
  script: string,
  params: unknown,
  options: { name?: string; deadlineMs?: number } = {},
): Worker<T> {
  const name = options.name ?? path.basename(script);
  const proc = spawn(process.execPath, ["--import", "tsx", path.join(here, script)], {
    cwd: repoRoot,
    env: { ...process.env, LIMITS_WORKER: JSON.stringify(params) },
    stdio: ["pipe", "pipe", "pipe"],
  });
  live.add(proc);
  // A worker killed before reading its stdin must not make this process throw EPIPE.
  proc.stdin!.on("error", () => {});
  const messages: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  let stdout = "";
  let stderr = "";
  let lastLine = "";
  proc.stdout!.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    const lines = stdout.split("\n");
    stdout = lines.pop()!;
    for (const line of lines) {
      if (!line.trim()) continue;
      lastLine = line;
      try {
        messages.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // Not ours (a library's log line): kept as the last line only.
      }
    }
    for (const wake of waiters) wake();
  });
  proc.stderr!.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8000);
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    // "close", not "exit": stdout has been read to its end by then.
    proc.once("close", (code, signal) => {
      live.delete(proc);
      for (const wake of waiters) wake();
      resolve({ code, signal });
    }),
  );
  const deadlineMs = options.deadlineMs ?? 120_000;
  let timedOut = false;
  const deadline = setTimeout(() => {
    timedOut = true;
    proc.kill("SIGKILL");
  }, deadlineMs);
  const result = exited.then(({ code, signal }) => {
    clearTimeout(deadline);
    if (stdout.trim()) lastLine = stdout.trim();
    if (timedOut) {
      throw new Error(`${name} still ran after ${deadlineMs} ms (a hang); stderr:\n${stderr}`);
    }
    if (code !== 0) {
      throw new Error(`${name} ended with ${signal ?? `code ${code}`}; stderr:\n${stderr}`);
    }
    return JSON.parse(lastLine) as T;
  });
  // A caller that only kills the worker never reads its result: no unhandled rejection then.
  result.catch(() => {});
  return {
    name,
    proc,
    messages,
    result,
    go() {
      if (proc.stdin?.writable) proc.stdin.end("go\n");
    },
    message(test) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find(test);
          if (found) {
            waiters.delete(check);
            resolve(found);
          } else if (proc.exitCode !== null || proc.signalCode !== null) {
            waiters.delete(check);
            reject(new Error(`${name} ended before the awaited message; stderr:\n${stderr}`));
          }
        };
        waiters.add(check);
        check();
      });
    },
  };
}
