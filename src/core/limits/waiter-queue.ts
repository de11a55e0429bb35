// A FIFO queue of waiters that a waiter can also leave from the middle in O(1), as an aborted wait
// does. An array needs indexOf + splice for that: O(n) per abort, so aborting a long queue (a
// cancelled batch) costs O(n²). A doubly linked list: `push` returns the waiter's place in line,
// which `remove` unlinks without searching.

/** A waiter's place in a WaiterQueue, for `remove`. */
export interface Place<T> {
  readonly value: T;
}

interface Link<T> extends Place<T> {
  prev: Link<T> | undefined;
  next: Link<T> | undefined;
  /** False once the waiter has left (served or removed): a second remove does nothing. */
  queued: boolean;
}

export class WaiterQueue<T> {
  #head: Link<T> | undefined;
  #tail: Link<T> | undefined;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** The waiter first in line, left in place. */
  peek(): T | undefined {
    return this.#head?.value;
  }

  push(value: T): Place<T> {
    const link: Link<T> = { value, prev: this.#tail, next: undefined, queued: true };
    if (this.#tail) this.#tail.next = link;
    else this.#head = link;
    this.#tail = link;
    this.#size++;
    return link;
  }

  /** Takes the waiter first in line out of the queue. */
  shift(): T | undefined {
    const head = this.#head;
    if (!head) return undefined;
    this.#unlink(head);
    return head.value;
  }

  /** Takes a waiter out wherever it stands (a place this queue's push returned); false if it had already left. */
  remove(place: Place<T>): boolean {
    const link = place as Link<T>;
    if (!link.queued) return false;
    this.#unlink(link);
    return true;
  }

  #unlink(link: Link<T>): void {
    if (link.prev) link.prev.next = link.next;
    else this.#head = link.next;
    if (link.next) link.next.prev = link.prev;
    else this.#tail = link.prev;
    link.prev = link.next = undefined; // a removed waiter keeps no neighbours alive
    link.queued = false;
    this.#size--;
  }
}
