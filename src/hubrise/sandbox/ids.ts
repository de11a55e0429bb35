// Ids as HubRise writes them: five characters of base 36 (`5dpm9`, `w6nd4`), locations
// `<account id>-<n>`. Each kind of record has its own id space, scrambled by the seed: a seeded
// record's id is its position scrambled (so it inverts to the position without a lookup), and
// the records created while the sandbox runs take ids from a range no seeded record uses.
import { scrambledIds } from "../../sandbox/collection.js";
import { Random } from "../../sandbox/random.js";

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";
const LENGTH = 5;
/** Seeded positions stay below this; ids minted at run time count up from it (10 million of them). */
export const FRESH_BASE = 50_000_000;

export class IdSpace {
  readonly #codec: ReturnType<typeof scrambledIds>;
  #next = 0;

  constructor(seed: string | number, kind: string) {
    this.#codec = scrambledIds(ALPHABET, LENGTH, new Random(seed).fork("ids", kind).int(1, 2e9));
  }

  /** The id of seeded position `n`. */
  at(n: number): string {
    return this.#codec.encode(n);
  }

  /** The position an id stands for (check it back with `at`), or undefined when it is not an id. */
  index(id: string): number | undefined {
    return this.#codec.decode(id);
  }

  /** A new id, never a seeded one. */
  fresh(): string {
    if (FRESH_BASE + this.#next >= this.#codec.capacity) throw new RangeError("ids exhausted");
    return this.#codec.encode(FRESH_BASE + this.#next++);
  }
}

/** Every id space of a sandbox, one per kind of record. */
export function idSpaces(seed: string | number) {
  const space = (kind: string) => new IdSpace(seed, kind);
  return {
    orders: space("orders"),
    /** Order items, discounts, charges and payments (8 a seeded order). */
    elements: space("order-elements"),
    deliveries: space("deliveries"),
    customers: space("customers"),
    customerLists: space("customer-lists"),
    loyaltyCards: space("loyalty-cards"),
    loyaltyOperations: space("loyalty-operations"),
    catalogs: space("catalogs"),
    /** Categories, products, SKUs, option lists, options, deals, discounts and charges. */
    catalogItems: space("catalog-items"),
    images: space("images"),
    events: space("events"),
    /** Cursors are positions, scrambled: opaque to the client as HubRise's are. */
    cursors: space("cursors"),
  };
}

export type IdSpaces = ReturnType<typeof idSpaces>;
