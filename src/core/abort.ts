// A long pagination passes one AbortSignal to thousands of requests. Every `new Request({ signal })`
// hangs a listener on that signal that is only removed when the request is garbage-collected, so
// the listeners pile up (Node warns past its limit, and they hold memory). A child signal per page
// keeps exactly one listener on the long-lived signal while the page is in flight.
export interface ChildSignal {
  signal: AbortSignal;
  /** Stops following the parent; call it once the page has been fetched. */
  dispose(): void;
}

export function childSignal(parent: AbortSignal | null | undefined): ChildSignal {
  const controller = new AbortController();
  if (!parent) return { signal: controller.signal, dispose: () => undefined };
  if (parent.aborted) {
    controller.abort(parent.reason);
    return { signal: controller.signal, dispose: () => undefined };
  }
  const follow = () => controller.abort(parent.reason);
  parent.addEventListener("abort", follow, { once: true });
  return {
    signal: controller.signal,
    dispose: () => parent.removeEventListener("abort", follow),
  };
}
