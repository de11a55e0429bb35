// The Request class the clients give openapi-fetch (its `Request` option). A request is made
// without the caller's signal, which it remembers apart, and with redirects left to the pipeline:
// - the caller's signal gets a listener only while a send is in flight, removed after it. A
//   Request made with the caller's signal keeps a listener on it until it is garbage-collected, so
//   one signal shared by thousands of calls piles them up (Node warns past 1,500);
// - the first send can go out as it is, with the pipeline's own signal given to fetch beside it,
//   where it would otherwise build a second Request (each Request and each signal it follows
//   costs microseconds and garbage-collector work, on every call).
export class ClientRequest extends Request {
  /** The signal the caller gave, if any. */
  readonly #callerSignal: AbortSignal | null;
  /** Whether it went out already: a second send (a replay) needs a Request of its own. */
  #sent: boolean;

  constructor(input: string | URL | Request, init: RequestInit = {}, sent = false) {
    const callerSignal = init.signal ?? null;
    // openapi-fetch makes `init` for this one request: set on it rather than copied.
    init.signal = undefined;
    init.redirect = "manual";
    super(input, init);
    this.#callerSignal = callerSignal;
    this.#sent = sent;
  }

  /** The signal that aborts `request` for its caller. */
  static callerSignalOf(request: Request): AbortSignal | null {
    return request instanceof ClientRequest ? request.#callerSignal : request.signal;
  }

  /**
   * Whether `request` was made here and not sent yet, marking it sent: it can then go out as it
   * is. Otherwise the pipeline builds a new Request.
   */
  static takeUnsent(request: Request): boolean {
    if (!(request instanceof ClientRequest) || request.#sent) return false;
    request.#sent = true;
    return true;
  }

  /** A copy of `request` to send later (a replay), aborted by the same caller's signal. */
  static copy(request: Request): Request {
    const body = request.body === null ? null : request.clone().body;
    return new ClientRequest(
      request.url,
      {
        method: request.method,
        headers: request.headers,
        body,
        signal: ClientRequest.callerSignalOf(request),
        ...(body === null ? {} : { duplex: "half" }),
      } as RequestInit,
      true,
    );
  }
}
