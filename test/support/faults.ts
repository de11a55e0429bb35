// The one-shot faults every vendor simulator can inject, and the queue that holds them: a fault
// goes to the next request, or to the next one whose URL matches (so it lands on a given page even
// when pages are fetched concurrently). Vendor-specific faults (bad paging headers, …) stay with
// their simulator; the HTTP-level ones below are answered here.
import type { IncomingMessage, ServerResponse } from "node:http";

export type CommonFault =
  | {
      kind: "status";
      status: number;
      retryAfter?: string;
      body?: string;
      contentType?: string;
      headers?: Record<string, string>;
    }
  | { kind: "reset" }
  /** Never answers: the request is held until the client gives up (or the simulator closes). */
  | { kind: "hang" }
  /** The normal answer's headers and half its body, then the connection drops. */
  | { kind: "cut-body" };

export function faultQueue<F>() {
  const queued: { fault: F; onUrl: RegExp | undefined }[] = [];
  return {
    inject(fault: F, onUrl?: RegExp): void {
      queued.push({ fault, onUrl });
    },
    /** The fault for this request (removed from the queue), if any. */
    take(url: string): F | undefined {
      const i = queued.findIndex((f) => f.onUrl === undefined || f.onUrl.test(url));
      return i < 0 ? undefined : queued.splice(i, 1)[0]!.fault;
    },
  };
}

/**
 * Answers (or drops) the request for an HTTP-level fault and returns true; returns false when the
 * request must go on to the simulator's routes (no fault, a vendor fault, or `cut-body`, which
 * cuts whatever the routes answer). `errorBody` is the vendor's error body for a status.
 */
export function applyCommonFault(
  fault: { kind: string } | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  errorBody: (status: number) => string,
): boolean {
  const f = fault as CommonFault | undefined;
  switch (f?.kind) {
    case "reset":
      req.socket.destroy();
      return true;
    case "hang":
      return true;
    case "cut-body":
      cutBody(req, res);
      return false;
    case "status":
      res.writeHead(f.status, {
        "Content-Type": f.contentType ?? "application/json",
        ...(f.retryAfter === undefined ? {} : { "Retry-After": f.retryAfter }),
        ...f.headers,
      });
      res.end(f.body ?? errorBody(f.status));
      return true;
    default:
      return false;
  }
}

/** Makes `res.end(body)` send the headers and half the body, then drop the connection. */
function cutBody(req: IncomingMessage, res: ServerResponse): void {
  res.end = ((chunk?: unknown) => {
    const text = typeof chunk === "string" ? chunk : String(chunk ?? "");
    res.write(text.slice(0, Math.ceil(text.length / 2)), () => req.socket.destroy());
    return res;
  }) as typeof res.end;
}
