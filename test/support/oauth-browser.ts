// What the OAuth tests play besides the app: the user's browser on the authorize page, another
// origin that must receive nothing, and a clock the test moves by hand.
import { createServer } from "node:http";
import type { Clock } from "../../src/core/clock.js";
import { listenOnLoopback } from "./loopback.js";

/** A clock the test moves by hand; timers are real (the helpers' timeouts use their own). */
export function settableClock(start = Date.UTC(2026, 0, 1)): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const timer = setTimeout(fn, Math.max(0, ms));
      return () => clearTimeout(timer);
    },
    advance(ms) {
      now += ms;
    },
  };
}

/** Follows the authorize URL as a browser would, without following the redirect: its Location. */
export async function visit(authorizeUrl: string): Promise<string> {
  const response = await fetch(authorizeUrl, { redirect: "manual" });
  const location = response.headers.get("Location");
  if (response.status !== 302 || !location) {
    throw new Error(`authorize answered ${response.status}: ${await response.text()}`);
  }
  return location;
}

/** Another origin that records what reaches it (it must receive nothing). */
export async function startRecorder(): Promise<{
  origin: string;
  received: string[];
  close(): Promise<void>;
}> {
  const received: string[] = [];
  const server = createServer((req, res) => {
    received.push(`${req.method} ${req.url}`);
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ access_token: "stolen" }));
  });
  const { port, close } = await listenOnLoopback(server);
  return { origin: `http://127.0.0.1:${port}`, received, close };
}
