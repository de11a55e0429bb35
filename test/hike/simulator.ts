// A Hike stand-in on 127.0.0.1: `{totalCount, items, next}` lists paged by page_size/skip_count,
// Hike's rolling windows enforced on an injectable clock (refused calls count too), its 429 with a
// text body and X-Rate-Limit-Problem, bearer tokens that can expire, and the OAuth token endpoint.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { applyCommonFault, type CommonFault, faultQueue } from "../support/faults.js";
import { listenOnLoopback } from "../support/loopback.js";
import { answerCors } from "../runtimes/cors.js";
import type { Clock } from "../../src/core/clock.js";

export type Fault =
  | CommonFault
  /** A list page's `totalCount` replaced by `value` (`undefined`: the field is missing). */
  | { kind: "total-count"; value: unknown }
  /** A list page with `items: []` while `totalCount` (and `next`) still say there is more. */
  | { kind: "empty-items" };

export interface SimulatorOptions {
  clock: Clock;
  accessToken: string;
  refreshToken?: string;
  clientId?: string;
  clientSecret?: string;
  products?: number;
  limits?: { perMinute: number; perDay: number };
  /** Send Retry-After on 429 (newer docs) or only X-Rate-Limit-Problem (older). */
  retryAfterOn429?: boolean;
  /** Delay before answering, ms of real time. */
  latencyMs?: number;
  /** Lists ignore `skip_count` and always answer the first page (a server bug the client must catch). */
  ignoreSkipCount?: boolean;
  /** Answer CORS preflights and allow any origin (the runtime matrix's browser page). */
  cors?: boolean;
}

export interface SimulatorStats {
  requests: number;
  refused: number;
  refreshes: number;
  /** Send times (simulated clock) of accepted and refused API calls. */
  calls: number[];
  log: string[];
}

export interface HikeSimulator {
  baseUrl: string;
  tokenUrl: string;
  stats: SimulatorStats;
  /** The access token the server accepts now. */
  readonly accessToken: string;
  /** Makes the current access token invalid (as if it expired). */
  expireToken(): void;
  /** Queues a one-shot fault for the next API call, or for the next one whose URL matches `onUrl`. */
  inject(fault: Fault, onUrl?: RegExp): void;
  close(): Promise<void>;
}

const RATE_LIMIT_TEXT =
  "oauth_problem=rate limit exceeded&oauth_problem_advice=please wait before retrying the Hike api";

export function makeProduct(i: number) {
  return {
    id: i + 1,
    name: `Product ${i + 1}`,
    sku: `SKU-${String(i + 1).padStart(5, "0")}`,
    barcode: null,
    bran_name: "Acme",
    isActive: true,
  };
}

export async function startHikeSimulator(options: SimulatorOptions): Promise<HikeSimulator> {
  const limits = options.limits ?? { perMinute: 60, perDay: 5_000 };
  const products = Array.from({ length: options.products ?? 1234 }, (_, i) => makeProduct(i));
  const faults = faultQueue<Fault>();
  const stats: SimulatorStats = { requests: 0, refused: 0, refreshes: 0, calls: [], log: [] };
  let accessToken = options.accessToken;
  let refreshToken = options.refreshToken ?? "refresh-0";
  let generation = 0;

  const json = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, { "Content-Type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };

  // Rolling windows over every call received, refused ones included (as Hike documents).
  const admit = (now: number): "Minute" | "Daily" | undefined => {
    const inLast = (ms: number) => stats.calls.filter((t) => t > now - ms).length;
    stats.calls.push(now);
    if (inLast(60_000) > limits.perMinute) return "Minute";
    if (inLast(86_400_000) > limits.perDay) return "Daily";
    return undefined;
  };

  const token = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const form = new URLSearchParams(raw);
    const ok =
      form.get("grant_type") === "refresh_token" &&
      form.get("refresh_token") === refreshToken &&
      form.get("client_id") === options.clientId &&
      form.get("client_secret") === options.clientSecret;
    if (!ok) return json(res, 400, { error: "invalid_grant" });
    stats.refreshes++;
    generation++;
    accessToken = `${options.accessToken}-r${generation}`;
    refreshToken = `${options.refreshToken}-r${generation}`;
    json(res, 200, {
      access_token: accessToken,
      token_type: "bearer",
      expires_in: 86_400,
      refresh_token: refreshToken,
    });
  };

  const api = (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const path = url.pathname.replace(/^\/api\/v1/, "");
    const sent = req.headers.authorization;
    if (sent !== `Bearer ${accessToken}`) {
      return json(
        res,
        401,
        { message: `Invalid token ${String(sent)}` },
        {
          "WWW-Authenticate":
            'Bearer, error="invalid_token", error_description="The access token expired"',
        },
      );
    }
    const problem = admit(options.clock.now());
    if (problem) {
      stats.refused++;
      const headers: Record<string, string> = {
        "Content-Type": "text/plain",
        "X-Rate-Limit-Problem": problem,
      };
      if (options.retryAfterOn429) headers["Retry-After"] = problem === "Minute" ? "60" : "86400";
      res.writeHead(429, headers);
      return res.end(RATE_LIMIT_TEXT);
    }
    const fault = faults.take(req.url ?? "/");
    if (applyCommonFault(fault, req, res, (status) => JSON.stringify({ message: "Failed" })))
      return;
    if (req.method === "GET" && path === "/products/get_all") {
      const size = Number(url.searchParams.get("page_size"));
      const skip = options.ignoreSkipCount ? 0 : Number(url.searchParams.get("skip_count") ?? 0);
      if (!Number.isInteger(size) || size < 1 || size > 500) {
        return json(res, 500, { message: "page_size must be between 1 and 500" });
      }
      const items = fault?.kind === "empty-items" ? [] : products.slice(skip, skip + size);
      const body: Record<string, unknown> = { totalCount: products.length, items };
      if (fault?.kind === "total-count") body.totalCount = fault.value;
      if (skip + size < products.length) {
        body.next = `/api/v1/products/get_all?page_size=${size}&Skip_count=${skip + size}`;
      }
      return json(res, 200, body);
    }
    const m = /^\/products\/get\/(\d+)$/.exec(path);
    if (req.method === "GET" && m) {
      const product = products[Number(m[1]) - 1];
      return product ? json(res, 200, product) : json(res, 404, { message: "Not found" });
    }
    if (req.method === "POST" && path === "/products/create")
      return json(res, 201, { id: products.length + 1 });
    json(res, 404, { message: "Not found" });
  };

  const server = createServer((req, res) => {
    if (options.cors && answerCors(req, res)) return;
    stats.requests++;
    stats.log.push(`${req.method} ${req.url}`);
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString()));
    req.on("end", () => {
      const answer = () => {
        const url = new URL(req.url ?? "/", "http://127.0.0.1");
        if (url.pathname === "/oauth/token" && req.method === "POST") return token(req, res, raw);
        api(req, res, url);
      };
      if (options.latencyMs) setTimeout(answer, options.latencyMs);
      else answer();
    });
  });
  const { port, close } = await listenOnLoopback(server);
  return {
    baseUrl: `http://127.0.0.1:${port}/api/v1`,
    tokenUrl: `http://127.0.0.1:${port}/oauth/token`,
    stats,
    get accessToken() {
      return accessToken;
    },
    expireToken() {
      accessToken = `${accessToken}-expired-${generation}`;
    },
    inject: faults.inject,
    close,
  };
}
