// A hostile server on 127.0.0.1: each test gives it the answer it wants to attack the client with
// (redirects, forged headers and totals, echoed credentials, slow or huge bodies), and it records
// every request it receives, with its headers, and how many were open at once. It sends only to
// loopback, and everything it does is bounded: dripping and streaming stop when the client goes,
// when their own byte budget is spent, or when the server closes.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { afterEach } from "vitest";
import { listenOnLoopback } from "../support/loopback.js";

export interface Received {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export type Answer = (req: Received, res: ServerResponse) => void | Promise<void>;

export interface HostileServer {
  /** `http://127.0.0.1:port` */
  origin: string;
  received: Received[];
  /** The most requests open at once (from arrival to the end of the response). */
  maxOpen: number;
  /** Bytes of response bodies written (the streaming answers count theirs). */
  bytesWritten: number;
  answer: Answer;
  /** A timer that ends with the server (so that no drip outlives its test). */
  later(ms: number, fn: () => void): void;
  close(): Promise<void>;
}

export async function startHostileServer(answer: Answer = notFound): Promise<HostileServer> {
  let open = 0;
  const timers = new Set<NodeJS.Timeout>();
  const state: HostileServer = {
    origin: "",
    received: [],
    maxOpen: 0,
    bytesWritten: 0,
    answer,
    later(ms, fn) {
      const t = setTimeout(() => {
        timers.delete(t);
        fn();
      }, ms);
      timers.add(t);
    },
    close: async () => undefined,
  };
  const server = createServer((req, res) => {
    open++;
    state.maxOpen = Math.max(state.maxOpen, open);
    res.on("close", () => open--);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const received: Received = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      state.received.push(received);
      Promise.resolve(state.answer(received, res)).catch(() => res.destroy());
    });
  });
  const { port, close } = await listenOnLoopback(server);
  state.origin = `http://127.0.0.1:${port}`;
  state.close = async () => {
    for (const t of timers) clearTimeout(t);
    await close();
  };
  return state;
}

/**
 * Starts hostile servers for a test file; each is closed after the test that started it, even a
 * test that failed or hung.
 */
export function hostileServers(): (answer?: Answer) => Promise<HostileServer> {
  const open: HostileServer[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  return async (answer) => {
    const server = await startHostileServer(answer);
    open.push(server);
    return server;
  };
}

export function notFound(_req: Received, res: ServerResponse): void {
  json(res, 404, { error: "not found" });
}

export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function text(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    "Content-Type": "text/html",
    "Content-Length": Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

/** Sends headers, then one byte every `everyMs`, at most `maxBytes`, until the client goes. */
export function drip(
  server: HostileServer,
  res: ServerResponse,
  everyMs: number,
  maxBytes: number,
): void {
  res.writeHead(200, { "Content-Type": "application/json", "Content-Length": String(maxBytes) });
  let sent = 0;
  const step = () => {
    if (res.destroyed || sent >= maxBytes) return;
    res.write(sent === 0 ? "[" : " ");
    sent++;
    server.bytesWritten++;
    server.later(everyMs, step);
  };
  step();
}

/**
 * Streams a body of `totalBytes` (chunked, no Content-Length) as fast as the client reads it; stops
 * when the client goes away.
 */
export function stream(server: HostileServer, res: ServerResponse, totalBytes: number): void {
  res.writeHead(200, { "Content-Type": "application/json" });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let sent = 0;
  const pump = () => {
    while (!res.destroyed && sent < totalBytes) {
      sent += chunk.length;
      server.bytesWritten += chunk.length;
      if (!res.write(chunk)) return void res.once("drain", pump);
    }
    if (!res.destroyed) res.end();
  };
  res.on("close", () => res.removeAllListeners("drain"));
  pump();
}
