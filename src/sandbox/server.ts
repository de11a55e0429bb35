// The engine every vendor sandbox runs on: a node:http server that answers each request the way
// the vendor's API would, in this order:
//   route (the description's paths; others: the vendor's 404 or 405, or the vendor's extra routes
//   such as OAuth pages) → authenticate (the vendor's 401) → rate limits (the vendor's 429) → a
//   queued or requested fault → the request checked against the description (the vendor's 400 or
//   422, naming each violation) → the operation's handler, over the vendor's state → the response
//   checked against the description → sent.
// A vendor supplies a `VendorBehaviour`: its description, state, credentials check, limits, error
// bodies and one handler per operation. Everything is bounded: request bodies (10 MiB), the
// request log and the violation log (their last entries), and every timer and connection ends
// with close().
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { type Clock, systemClock } from "../core/clock.js";
import { isCredentialHeader } from "../core/drift/record.js";
import { answerCors } from "./cors.js";
import type { Description, OperationSpec } from "./description.js";
import { FAULT_HEADER, FaultQueue, faultFromHeader, type SandboxFault } from "./faults.js";
import { type CheckedRequest, checkRequest, type Violation } from "./request-check.js";
import { createRouter } from "./router.js";
import { type SchemaChecker, schemaChecker } from "./schemas.js";

/** What a handler answers: a JSON `body`, or `text` (or bytes) as is. */
export interface SandboxResponse {
  status: number;
  body?: unknown;
  text?: string | Uint8Array;
  /** Default `application/json` for `body`, `text/plain; charset=utf-8` for `text`. */
  contentType?: string;
  headers?: Record<string, string>;
}

/** A request as it arrived, before it is known to be an operation. */
export interface IncomingRequest {
  method: string;
  /** The request target as sent (`/v1/location/orders?count=10`). */
  target: string;
  url: URL;
  /** The path after the description's base path (`/location/orders`). */
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: Uint8Array;
}

export interface HandlerContext<State, Principal> extends IncomingRequest {
  operation: OperationSpec;
  /** Parameters converted to their schemas' types (only those sent). */
  params: Pick<CheckedRequest, "path" | "query" | "header">;
  /** The decoded body (JSON value, form fields converted to their types, FormData, or bytes). */
  body: unknown;
  mediaType: string | undefined;
  principal: Principal;
  state: State;
  /** The sandbox clock's time, ms since the epoch. */
  now: number;
  /** The fault this request carries, for those a list plays (`empty-page`, `paging-ignored`, `paging-total`). */
  fault: SandboxFault | undefined;
}

export type OperationHandler<State, Principal> = (
  ctx: HandlerContext<State, Principal>,
) => SandboxResponse | Promise<SandboxResponse>;

/** A request admitted by the rate limits: `release` runs when its answer has been sent. */
export interface Admission {
  release?(): void;
}

export interface VendorErrors {
  /**
   * The vendor's answer to a request the description does not allow, naming every violation
   * (`request`: what could be read of it).
   */
  invalid(
    violations: Violation[],
    operation: OperationSpec,
    request: CheckedRequest,
  ): SandboxResponse;
  /** The vendor's answer to a path it does not have. */
  notFound(path: string): SandboxResponse;
  /** The vendor's answer to a method the path does not take. */
  methodNotAllowed(allowed: string[]): SandboxResponse;
  /** The vendor's error answer for `status` (injected faults, bodies over the cap, crashes). */
  status(status: number): SandboxResponse;
}

export interface VendorBehaviour<State, Principal> {
  description: Description;
  state: State;
  /** Who is calling, or the vendor's refusal (401). */
  authenticate(request: IncomingRequest, operation: OperationSpec): Principal | SandboxResponse;
  /** Counts the request against the vendor's limits, or refuses it (429). */
  admit?(
    request: IncomingRequest,
    operation: OperationSpec,
    principal: Principal,
  ): Admission | SandboxResponse;
  handlers: Partial<Record<string, OperationHandler<State, Principal>>>;
  errors: VendorErrors;
  /**
   * Routes outside the description's API (OAuth pages and token endpoints): the route's answer
   * for this request, or undefined when it is not one. Faults apply; nothing else does (a route
   * checks its own credentials).
   */
  routes?(request: IncomingRequest): (() => SandboxResponse | Promise<SandboxResponse>) | undefined;
  /** The header a `paging-header` fault replaces (`X-Cursor-Next`, `Content-Range`). */
  pagingHeader?: string;
}

export interface EngineOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  clock?: Clock;
  /**
   * Check every response against the description before sending it: one that does not fit is
   * answered 500 instead (and logged in `violations`). Default false (they are logged either way).
   */
  validate?: boolean;
  /** Answer CORS preflights and allow any origin (a browser page on another origin). */
  cors?: boolean;
}

export interface RequestRecord {
  /** When it arrived, on the sandbox's clock (ms since the epoch). */
  at: number;
  method: string;
  target: string;
  operationId: string | undefined;
  status: number;
  headers: IncomingHttpHeaders;
}

export interface SandboxServer {
  /** `http://127.0.0.1:port`. */
  origin: string;
  /** The origin and the base path: a client's `baseUrl`. */
  url: string;
  clock: Clock;
  /** Queues a fault for the next matching requests. */
  inject(fault: SandboxFault): void;
  clearFaults(): void;
  /** The last 10,000 requests, oldest first (credential headers redacted, their scheme kept). */
  requests: RequestRecord[];
  /** The last 1,000 responses that did not fit the description (none, if the sandbox is right). */
  violations: string[];
  /** Runs `fn` after `ms` of real time, unless the sandbox closes first. */
  later(ms: number, fn: () => void): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;
/**
 * Faults after which the answer is still the vendor's (late, slow, or a list playing a broken
 * server within the schema): it is checked against the description like any other. The others
 * send what the vendor never would, on purpose.
 */
const ANSWER_KEPT = new Set([
  "delay",
  "slow-body",
  "paging-header",
  "empty-page",
  "paging-ignored",
]);
const MAX_REQUESTS_LOGGED = 10_000;
const MAX_VIOLATIONS_LOGGED = 1_000;

const isResponse = (value: unknown): value is SandboxResponse =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as { status?: unknown }).status === "number";

/** The response spec for a status: exact, then `4XX`, then `default`. */
function responseSpec(operation: OperationSpec, status: number) {
  return (
    operation.responses[String(status)] ??
    operation.responses[`${String(status)[0]}XX`] ??
    operation.responses.default
  );
}

/** Why `response` does not fit `operation`'s description, or undefined when it fits. */
function responseViolation(
  operation: OperationSpec,
  response: SandboxResponse,
  schemas: SchemaChecker,
): string | undefined {
  const spec = responseSpec(operation, response.status);
  const where = `${operation.method.toUpperCase()} ${operation.template} → ${response.status}`;
  if (spec === undefined) return `${where}: the description documents no such status`;
  const mediaTypes = Object.keys(spec.content);
  if (mediaTypes.length === 0) {
    return response.body === undefined && !response.text
      ? undefined
      : `${where}: the description documents no body`;
  }
  const type = (
    response.contentType ?? (response.text === undefined ? "application/json" : "text/plain")
  )
    .split(";")[0]!
    .trim();
  const media =
    spec.content[type] ??
    Object.entries(spec.content).find(
      ([t]) => t.endsWith("/*") && type.startsWith(t.slice(0, -1)),
    )?.[1] ??
    spec.content["*/*"];
  if (media === undefined) return `${where}: ${type} is not one of ${mediaTypes.join(", ")}`;
  if (response.body === undefined || media.schemaPointer === undefined) return undefined;
  const found = schemas.check(media.schemaPointer, response.body);
  return found.length === 0
    ? undefined
    : `${where}: ${found.map((v) => `${v.at || "/"} ${v.message}`).join("; ")}`;
}

/**
 * A request's headers as the log keeps them: credentials replaced, their scheme kept
 * (`Basic [redacted]`), so that a test can see what kind was sent and no log holds a secret.
 */
function loggedHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const logged: IncomingHttpHeaders = { ...headers };
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || !isCredentialHeader(name)) continue;
    const scheme = typeof value === "string" ? /^(\w+)\s+\S/.exec(value)?.[1] : undefined;
    logged[name] = scheme ? `${scheme} [redacted]` : "[redacted]";
  }
  return logged;
}

function send(res: ServerResponse, response: SandboxResponse): string | Uint8Array {
  const payload =
    response.text ?? (response.body === undefined ? "" : JSON.stringify(response.body));
  const contentType =
    response.contentType ??
    (response.text !== undefined
      ? "text/plain; charset=utf-8"
      : response.body === undefined
        ? undefined
        : "application/json; charset=utf-8");
  res.writeHead(response.status, {
    ...(contentType ? { "Content-Type": contentType } : {}),
    ...response.headers,
  });
  return payload;
}

export async function startSandboxServer<State, Principal>(
  behaviour: VendorBehaviour<State, Principal>,
  options: EngineOptions = {},
): Promise<SandboxServer> {
  const { description, errors } = behaviour;
  const clock = options.clock ?? systemClock;
  const route = createRouter(description.operations);
  const schemas = schemaChecker(description.doc);
  const faults = new FaultQueue();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const requests: RequestRecord[] = [];
  const violations: string[] = [];
  let closed = false;

  const later = (ms: number, fn: () => void) => {
    if (closed) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };
  const remember = <T>(list: T[], item: T, max: number) => {
    list.push(item);
    if (list.length > max) list.splice(0, list.length - max);
  };

  /** Answers, playing the fault that changes how an answer is sent. */
  function finish(
    req: IncomingMessage,
    res: ServerResponse,
    response: SandboxResponse,
    fault: SandboxFault | undefined,
  ) {
    if (fault?.kind === "paging-header") {
      const name = fault.header ?? behaviour.pagingHeader;
      if (name) response = { ...response, headers: { ...response.headers, [name]: fault.value } };
    }
    let payload = send(res, response);
    if (fault?.kind === "truncated-json") {
      const text = typeof payload === "string" ? payload : new TextDecoder().decode(payload);
      payload = text.slice(0, Math.floor(text.length / 2));
    }
    if (fault?.kind === "cut-body") {
      const bytes = typeof payload === "string" ? Buffer.from(payload) : payload;
      res.write(bytes.subarray(0, Math.ceil(bytes.length / 2)), () => req.socket.destroy());
      return;
    }
    if (fault?.kind === "slow-body") {
      const bytes = typeof payload === "string" ? Buffer.from(payload) : payload;
      const chunks = Math.max(1, Math.min(fault.chunks ?? 10, bytes.length || 1));
      const size = Math.ceil(bytes.length / chunks);
      let sent = 0;
      const drip = () => {
        if (res.destroyed) return;
        if (sent >= bytes.length) return void res.end();
        res.write(bytes.subarray(sent, sent + size));
        sent += size;
        later(fault.chunkDelayMs, drip);
      };
      return drip();
    }
    res.end(payload);
  }

  /** The fault a request asked for (its header), else the first queued one it matches. */
  function takeFault(
    incoming: IncomingRequest,
    operation: OperationSpec | undefined,
  ): SandboxFault | Error | undefined {
    try {
      const requested = faultFromHeader(incoming.headers[FAULT_HEADER]);
      if (requested) return requested;
    } catch (err) {
      return err as Error;
    }
    return faults.take({
      method: incoming.method,
      path: incoming.path,
      target: incoming.target,
      operation,
    });
  }

  /**
   * Plays a fault that replaces the answer (a status, a redirect, an echo, a reset, a hang), or
   * waits out a delay; undefined when the request goes on to be answered.
   */
  async function playEarlyFault(
    incoming: IncomingRequest,
    fault: SandboxFault | undefined,
    operation?: OperationSpec,
  ): Promise<
    { response?: SandboxResponse; fault: SandboxFault; operation?: OperationSpec } | undefined
  > {
    switch (fault?.kind) {
      case "status": {
        const base =
          fault.body === undefined
            ? errors.status(fault.status)
            : { status: fault.status, text: fault.body };
        const headers: Record<string, string> = { ...base.headers, ...fault.headers };
        if (fault.retryAfter !== undefined) headers["Retry-After"] = String(fault.retryAfter);
        const response = { ...base, status: fault.status, headers };
        if (fault.contentType) response.contentType = fault.contentType;
        return { response, fault, operation };
      }
      case "redirect":
        return {
          response: { status: fault.status ?? 307, headers: { Location: fault.location } },
          fault,
          operation,
        };
      case "echo": {
        const sent = new TextDecoder().decode(incoming.rawBody);
        const authorization = String(incoming.headers.authorization ?? "no Authorization");
        return {
          response: {
            status: fault.status ?? 400,
            body: {
              error: "invalid_request",
              error_description: `got ${sent} with ${authorization}`,
            },
          },
          fault,
          operation,
        };
      }
      case "reset":
      case "hang":
        return { fault, operation };
      case "delay":
        await new Promise<void>((resolve) => later(fault.ms, resolve));
        return undefined;
      default:
        return undefined;
    }
  }

  async function answer(
    res: ServerResponse,
    incoming: IncomingRequest,
  ): Promise<{ response?: SandboxResponse; fault?: SandboxFault; operation?: OperationSpec }> {
    const extra = behaviour.routes?.(incoming);
    if (extra) {
      const fault = takeFault(incoming, undefined);
      if (fault instanceof Error) return { response: { status: 400, text: fault.message } };
      const early = await playEarlyFault(incoming, fault);
      return early ?? { response: await extra(), fault };
    }
    const base = description.basePath;
    const inBase = incoming.url.pathname === base || incoming.url.pathname.startsWith(`${base}/`);
    if (!inBase) return { response: errors.notFound(incoming.url.pathname) };
    const match = route(incoming.method, incoming.path);
    if (match.kind === "not-found") return { response: errors.notFound(incoming.path) };
    if (match.kind === "method-not-allowed") {
      return { response: errors.methodNotAllowed(match.allowed) };
    }
    const { operation } = match;
    const principal = behaviour.authenticate(incoming, operation);
    if (isResponse(principal)) return { response: principal, operation };
    const admission = behaviour.admit?.(incoming, operation, principal as Principal);
    if (isResponse(admission)) return { response: admission, operation };
    if (admission?.release) res.once("close", () => admission.release!());

    const fault = takeFault(incoming, operation);
    if (fault instanceof Error) {
      // An unreadable fault header is a request the sandbox cannot answer as asked: the
      // vendor's invalid-request answer, naming it.
      const violation = { where: `header.${FAULT_HEADER}`, message: fault.message };
      const unread = { path: {}, query: {}, header: {}, body: undefined, mediaType: undefined };
      return {
        response: errors.invalid([violation], operation, { ...unread, violations: [violation] }),
        operation,
      };
    }
    const early = await playEarlyFault(incoming, fault, operation);
    if (early) return early;

    const checked = await checkRequest(
      operation,
      {
        pathParams: match.pathParams,
        query: incoming.url.searchParams,
        headers: incoming.headers,
        body: incoming.rawBody,
        contentType: incoming.headers["content-type"],
      },
      schemas,
    );
    if (checked.violations.length > 0) {
      return {
        response: errors.invalid(checked.violations, operation, checked),
        fault,
        operation,
      };
    }
    const handler = behaviour.handlers[operation.operationId];
    const ctx: HandlerContext<State, Principal> = {
      ...incoming,
      operation,
      params: { path: checked.path, query: checked.query, header: checked.header },
      body: checked.body,
      mediaType: checked.mediaType,
      principal: principal as Principal,
      state: behaviour.state,
      now: clock.now(),
      fault,
    };
    const response = handler ? await handler(ctx) : staticAnswer(operation);
    return { response, fault, operation };
  }

  const server = createServer((req, res) => {
    if (options.cors && answerCors(req, res)) return;
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        if (!refused) {
          refused = true;
          finish(req, res, errors.status(413), undefined);
          req.resume();
        }
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (refused) return;
      const target = req.url ?? "/";
      const url = new URL(target, "http://sandbox.invalid");
      const base = description.basePath;
      const at = clock.now();
      const incoming: IncomingRequest = {
        method: req.method ?? "GET",
        target,
        url,
        path: url.pathname.startsWith(base) ? url.pathname.slice(base.length) || "/" : url.pathname,
        headers: req.headers,
        rawBody: Buffer.concat(chunks),
      };
      answer(res, incoming).then(
        ({ response, fault, operation }) => {
          remember(
            requests,
            {
              at,
              method: incoming.method,
              target,
              operationId: operation?.operationId,
              status: response?.status ?? 0,
              headers: loggedHeaders(req.headers),
            },
            MAX_REQUESTS_LOGGED,
          );
          if (fault?.kind === "reset") return void req.socket.destroy();
          if (fault?.kind === "hang" || response === undefined) return;
          let out = response;
          if (operation && (fault === undefined || ANSWER_KEPT.has(fault.kind ?? "status"))) {
            const wrong = responseViolation(operation, response, schemas);
            if (wrong !== undefined) {
              remember(violations, wrong, MAX_VIOLATIONS_LOGGED);
              if (options.validate) {
                out = {
                  status: 500,
                  text: `sandbox: the response does not fit the description: ${wrong}`,
                };
              }
            }
          }
          finish(req, res, out, fault);
        },
        (err: unknown) => {
          const message = `${operation500(incoming)}: ${(err as Error)?.stack ?? String(err)}`;
          remember(violations, `sandbox error: ${message}`, MAX_VIOLATIONS_LOGGED);
          if (!res.headersSent) finish(req, res, errors.status(500), undefined);
        },
      );
    });
  });
  server.requestTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? "127.0.0.1";
  const origin = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return {
    origin,
    url: origin + description.basePath,
    clock,
    inject: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    requests,
    violations,
    later,
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((err) => (err ? reject(err) : resolve())),
      );
    },
  };
}

const operation500 = (incoming: IncomingRequest) => `${incoming.method} ${incoming.path}`;

/**
 * An operation without a handler answers its description's first success example; without one,
 * 501. Every vendor sandbox has a handler for each operation: this is the safety net.
 */
function staticAnswer(operation: OperationSpec): SandboxResponse {
  for (const [status, spec] of Object.entries(operation.responses)) {
    if (!/^2\d\d$/.test(status)) continue;
    const [type, media] = Object.entries(spec.content)[0] ?? [];
    if (media?.example !== undefined) {
      return { status: Number(status), body: media.example, contentType: type };
    }
    if (!type) return { status: Number(status) };
  }
  return {
    status: 501,
    text: `sandbox: ${operation.operationId} is not implemented by this sandbox`,
  };
}
