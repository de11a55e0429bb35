// A caller's AbortSignal is often shared: one signal for a whole pagination, or for a batch of
// calls. Every send, wait and page that listens to it must not add a listener of its own: Node
// warns past 10 on a signal, its addEventListener checks the whole list for duplicates (so many
// listeners cost O(n²)), and a listener only removed at garbage collection piles up over thousands
// of pages. So the client keeps at most one listener on any signal, and fans the abort out itself.

/** The callbacks waiting on each signal the client listens to, behind its one listener. */
const waiting = new WeakMap<AbortSignal, { callbacks: Set<() => void>; listener: () => void }>();

/**
 * Calls `callback` when `signal` aborts; returns the function that stops waiting (call it once the
 * work is done). The signal carries one listener of the client's, whatever the number of waiters.
 */
export function whenAborted(signal: AbortSignal, callback: () => void): () => void {
  const entry = waiting.get(signal) ?? listen(signal);
  const { callbacks, listener } = entry;
  callbacks.add(callback);
  return () => {
    if (!callbacks.delete(callback) || callbacks.size > 0) return;
    signal.removeEventListener("abort", listener);
    if (waiting.get(signal) === entry) waiting.delete(signal);
  };
}

function listen(signal: AbortSignal) {
  const callbacks = new Set<() => void>();
  const listener = () => {
    waiting.delete(signal);
    for (const callback of callbacks) callback();
  };
  const entry = { callbacks, listener };
  waiting.set(signal, entry);
  signal.addEventListener("abort", listener, { once: true });
  return entry;
}

export interface ChildSignal {
  signal: AbortSignal;
  /** Stops following the parent; call it once the page has been fetched. */
  dispose(): void;
}

/** A signal of its own (one page's) that follows `parent` until disposed. */
export function childSignal(parent: AbortSignal | null | undefined): ChildSignal {
  const controller = new AbortController();
  if (!parent) return { signal: controller.signal, dispose: () => undefined };
  if (parent.aborted) {
    controller.abort(parent.reason);
    return { signal: controller.signal, dispose: () => undefined };
  }
  const dispose = whenAborted(parent, () => controller.abort(parent.reason));
  return { signal: controller.signal, dispose };
}
