// A server that ignores the paging parameter, or hands out a fresh cursor with the same rows, serves
// the same page again and again: both page loops compare each page with the one before. A short
// fingerprint instead of the page itself keeps paging's memory at one page.
import { type ErrorContext, PaginationError } from "../errors.js";

export class RepeatedPageGuard {
  #previous: string | undefined;

  constructor(private readonly ctx: ErrorContext) {}

  /** Throws PaginationError("page-not-advancing") when page `number` repeats the rows before it. */
  check(items: readonly unknown[], number: number): void {
    if (items.length === 0) return; // an empty page repeats nothing; the loops judge it apart
    const fingerprint = pageFingerprint(items);
    if (fingerprint === this.#previous) {
      throw new PaginationError(
        this.ctx,
        "page-not-advancing",
        `page ${number} holds the same rows as page ${number - 1}`,
      );
    }
    this.#previous = fingerprint;
  }
}

/** A short fingerprint of a page's rows: cyrb53 over their JSON, with their count and length. */
export function pageFingerprint(items: readonly unknown[]): string {
  const json = JSON.stringify(items) ?? "";
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return `${items.length}:${json.length}:${(h2 >>> 0).toString(36)}${(h1 >>> 0).toString(36)}`;
}
