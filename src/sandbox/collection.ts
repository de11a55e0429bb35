// A sandbox's records of one kind, in the order the vendor lists them: the seeded ones first (made
// on demand by `generate(i)`, so 100,000 orders cost nothing until read), then those created
// through the API. Updates and deletions of seeded records are kept aside; a seeded record found by
// its id needs no scan (`positionOf` inverts the id). Lists walk positions, so a page starts where
// the previous one ended (a cursor or an offset is a position).

export interface CollectionOptions<T> {
  /** How many seeded records. */
  size: number;
  /** Seeded record `i` (the same every time for the same seed). */
  generate(i: number): T;
  /** The id of seeded record `i`, without generating it. */
  idAt(i: number): string;
  /** The position of a seeded record's id, or undefined when it is not one (checked with `idAt`). */
  positionOf(id: string): number | undefined;
  /** The id of any record. */
  idOf(record: T): string;
}

export class Collection<T> {
  readonly #options: CollectionOptions<T>;
  /** Seeded records changed (a record) or deleted (null). */
  readonly #changed = new Map<string, T | null>();
  /** Created records by id, and every id ever created at its position (past `size`). */
  readonly #created = new Map<string, T>();
  readonly #createdIds: string[] = [];
  #deletedSeeded = 0;

  constructor(options: CollectionOptions<T>) {
    this.#options = options;
  }

  /** Records of a kind with no seeded ones, all created: ids given by the records. */
  static of<T>(idOf: (record: T) => string, records: Iterable<T> = []): Collection<T> {
    const c = new Collection<T>({
      size: 0,
      generate: () => {
        throw new Error("no seeded records");
      },
      idAt: () => "",
      positionOf: () => undefined,
      idOf,
    });
    for (const r of records) c.insert(r);
    return c;
  }

  /** The live records. */
  get size(): number {
    return this.#options.size - this.#deletedSeeded + this.#created.size;
  }

  /** Where the next page starts after the last position: positions run to `end`. */
  get end(): number {
    return this.#options.size + this.#createdIds.length;
  }

  get(id: string): T | undefined {
    const changed = this.#changed.get(id);
    if (changed !== undefined) return changed ?? undefined;
    const created = this.#created.get(id);
    if (created !== undefined) return created;
    // `positionOf` may accept spellings of an id that are not it ("007" for "7"): check back.
    const i = this.#options.positionOf(id);
    return i !== undefined && i >= 0 && i < this.#options.size && this.#options.idAt(i) === id
      ? this.#options.generate(i)
      : undefined;
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  /** Adds a record after every other (its id must be new). */
  insert(record: T): T {
    const id = this.#options.idOf(record);
    if (this.has(id)) throw new Error(`a record with id ${id} exists`);
    this.#created.set(id, record);
    this.#createdIds.push(id);
    return record;
  }

  /** Replaces a record where it is; false when there is none with this id. */
  replace(id: string, record: T): boolean {
    if (this.#created.has(id)) {
      this.#created.set(id, record);
      return true;
    }
    if (!this.has(id)) return false;
    this.#changed.set(id, record);
    return true;
  }

  delete(id: string): boolean {
    if (this.#created.delete(id)) return true;
    if (!this.has(id)) return false;
    this.#changed.set(id, null);
    this.#deletedSeeded++;
    return true;
  }

  /** The live record at a position, or undefined (deleted, or past the end). */
  at(position: number): T | undefined {
    const { size } = this.#options;
    if (position < size) {
      const id = this.#options.idAt(position);
      const changed = this.#changed.get(id);
      return changed === undefined ? this.#options.generate(position) : (changed ?? undefined);
    }
    const id = this.#createdIds[position - size];
    return id === undefined ? undefined : this.#created.get(id);
  }

  /**
   * Up to `limit` live records matching `keep`, from position `from` on, and the position after
   * the last one examined (where the next page starts; `end` when nothing is left).
   */
  page(from: number, limit: number, keep?: (record: T) => boolean): { items: T[]; next: number } {
    const items: T[] = [];
    let position = Math.max(0, from);
    const end = this.end;
    for (; position < end && items.length < limit; position++) {
      const record = this.at(position);
      if (record !== undefined && (keep === undefined || keep(record))) items.push(record);
    }
    return { items, next: position };
  }

  /** Every live record matching `keep`, in order (lazily). */
  *values(keep?: (record: T) => boolean): Generator<T> {
    const end = this.end;
    for (let position = 0; position < end; position++) {
      const record = this.at(position);
      if (record !== undefined && (keep === undefined || keep(record))) yield record;
    }
  }

  /** How many live records match `keep` (all: no scan). */
  count(keep?: (record: T) => boolean): number {
    if (keep === undefined) return this.size;
    let n = 0;
    for (const _ of this.values(keep)) n++;
    return n;
  }
}

/**
 * Ids that look like a vendor's (`length` characters of `alphabet`) and map one-to-one to
 * positions: position i ↦ (a·i + b) mod alphabet^length, `a` coprime with the modulus, so the
 * position of an id is one multiplication away.
 */
export function scrambledIds(alphabet: string, length: number, salt: number) {
  const modulus = alphabet.length ** length;
  if (!Number.isSafeInteger(modulus * modulus)) throw new RangeError("ids too long to scramble");
  // A multiplier coprime with the modulus, drawn from the salt.
  let a = (salt * 2654435761) % modulus || 1;
  while (gcd(a, modulus) !== 1) a = (a + 1) % modulus || 1;
  const b = (salt * 40503) % modulus;
  const inverse = modularInverse(a, modulus);
  const encode = (i: number) => {
    let n = (((a * i + b) % modulus) + modulus) % modulus;
    let out = "";
    for (let k = 0; k < length; k++) {
      out = alphabet[n % alphabet.length] + out;
      n = Math.floor(n / alphabet.length);
    }
    return out;
  };
  const decode = (id: string): number | undefined => {
    if (id.length !== length) return undefined;
    let n = 0;
    for (const c of id) {
      const digit = alphabet.indexOf(c);
      if (digit < 0) return undefined;
      n = n * alphabet.length + digit;
    }
    return (((((n - b) % modulus) + modulus) % modulus) * inverse) % modulus;
  };
  return { encode, decode, capacity: modulus };
}

function gcd(x: number, y: number): number {
  while (y) [x, y] = [y, x % y];
  return x;
}

function modularInverse(a: number, m: number): number {
  // Extended Euclid, in exact integers (the products stay below 2^53: checked by the caller).
  let [oldR, r] = [a, m];
  let [oldS, s] = [1, 0];
  while (r !== 0) {
    const q = Math.floor(oldR / r);
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}
