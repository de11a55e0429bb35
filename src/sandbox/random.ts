// Seeded randomness for the sandboxes' data: the same seed gives the same data, in any Node, on any
// machine. Each record draws from its own stream (`random.fork("orders", 17)`), so record 17 is the
// same whether or not others were generated before it, and adding a kind of record does not shift
// the others: what makes lazily generated collections possible.

/** A 32-bit hash of a text (cyrb53's mixing, reduced): the seed of a stream. */
function hash(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h1 ^ h2) >>> 0;
}

export class Random {
  readonly seed: string;
  #state: number;

  constructor(seed: string | number) {
    this.seed = String(seed);
    this.#state = hash(this.seed);
  }

  /** A stream of its own for one record or kind of record. */
  fork(...labels: (string | number)[]): Random {
    return new Random(`${this.seed}/${labels.join("/")}`);
  }

  /** A number in [0, 1) (mulberry32). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** `length` characters drawn from `alphabet`. */
  text(alphabet: string, length: number): string {
    let out = "";
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }

  /** A decimal amount with two digits, in [min, max], as text (`"12.50"`). */
  amount(min: number, max: number): string {
    return (this.int(Math.round(min * 100), Math.round(max * 100)) / 100).toFixed(2);
  }
}
