// A real Redis for the shared-limits tests and bench rows: Debian's `redis-server` on a free
// 127.0.0.1 port, no persistence, its files in a temporary directory. No mocks: the store's Lua,
// TIME and pub/sub are what is under test. `stop()` and `start()` play an outage on the same port
// (a client reconnects to the same address); `kill()` is the last resort, safe to call twice, and
// also runs when the process exits, so a failing test never leaves a server behind.
//
// Plain Node (no vitest import): bench/ uses it too.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createConnection, createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export interface RedisServer {
  port: number;
  /** `redis://127.0.0.1:<port>`. */
  url: string;
  /** Stops the server (SIGTERM) and waits for its exit; its data is gone (no persistence). */
  stop(): Promise<void>;
  /** Starts it again on the same port and waits until it answers PING. */
  start(): Promise<void>;
  /** Ends the server at once (SIGKILL) and removes its directory; idempotent. */
  kill(): void;
}

const BINARY = "redis-server";

/** Why redis-server cannot run here, or undefined when it can. */
export function redisServerMissing(): string | undefined {
  try {
    execFileSync(BINARY, ["--version"], { stdio: "ignore" });
    return undefined;
  } catch {
    return `${BINARY} is not on PATH (Debian: apt-get install redis-server; .ci/run installs it)`;
  }
}

/**
 * For a test file: the reason to skip when redis-server is missing on a developer's machine
 * (printed), or undefined. Under CI=true it never skips: starting the server then fails the tests
 * with the reason, as a missing dependency of CI must.
 */
export function redisSkipReason(): string | undefined {
  const missing = redisServerMissing();
  if (missing === undefined || process.env.CI === "true") return undefined;
  console.warn(`skipping the Redis tests: ${missing}`);
  return missing;
}

/** A port nobody listens on now (the OS picks it; a race with another process is retried). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Whether a Redis answers PING on the port now. */
function pings(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    let reply = "";
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.on("error", () => done(false));
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk) => {
      reply += chunk.toString();
      if (reply.includes("\r\n")) done(reply.startsWith("+PONG"));
    });
  });
}

export async function startRedisServer(): Promise<RedisServer> {
  const missing = redisServerMissing();
  if (missing) throw new Error(`cannot start Redis for this test: ${missing}`);
  const dir = mkdtempSync(path.join(tmpdir(), "commerce-openapi-redis-"));
  let child: ChildProcess | undefined;
  let killed = false;
  // Synchronous, as an "exit" listener must be.
  const onExit = () => {
    child?.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", onExit);

  /** Spawns redis-server on `port`; resolves once it answers PING, rejects if it exits first. */
  async function launch(port: number): Promise<void> {
    mkdirSync(dir, { recursive: true });
    const proc = spawn(
      BINARY,
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        dir,
        // Not a daemon, and no protected-mode refusals: it only listens on loopback.
        "--daemonize",
        "no",
        "--protected-mode",
        "no",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    child = proc;
    let log = "";
    for (const stream of [proc.stdout!, proc.stderr!]) {
      stream.on("data", (chunk: Buffer) => {
        log = (log + chunk.toString()).slice(-4000);
      });
    }
    let exited = false;
    proc.once("exit", () => {
      exited = true;
    });
    const started = Date.now();
    for (;;) {
      if (exited) throw new Error(`redis-server exited on port ${port}:\n${log}`);
      if (await pings(port)) return;
      if (Date.now() - started > 15_000) {
        proc.kill("SIGKILL");
        throw new Error(`redis-server did not answer PING on port ${port} in 15 s:\n${log}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  // The port may be taken between freePort() and redis-server's bind: try a few.
  let port = 0;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      await launch(port);
      break;
    } catch (err) {
      if (attempt >= 3) {
        rmSync(dir, { recursive: true, force: true });
        process.off("exit", onExit);
        throw err;
      }
    }
  }

  const server: RedisServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      const proc = child;
      child = undefined;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
      proc.kill("SIGTERM");
      // Without persistence Redis exits at once; SIGKILL if it does not within 5 s.
      const timer = setTimeout(() => proc.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
    async start() {
      if (killed) throw new Error("this Redis server was killed");
      if (child && child.exitCode === null && child.signalCode === null) return;
      await launch(port);
    },
    kill() {
      if (killed) return;
      killed = true;
      process.off("exit", onExit);
      onExit();
      child = undefined;
    },
  };
  return server;
}
