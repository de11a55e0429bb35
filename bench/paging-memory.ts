// Row 7: the heap while paging 100,000 items must stay within two pages' worth (each run in its
// own process, with --expose-gc: bench/paging-memory-child.ts); a bare fetch loop beside it.
import { benchChild } from "./child-process.js";
import { median, type Row } from "./stats.js";

const ROUNDS = 3;

interface MemoryRun {
  items: number;
  ordered: boolean;
  pageBytes: number;
  growthBytes: number;
}

const child = (variant: "client" | "bare-fetch") =>
  benchChild<MemoryRun>("paging-memory-child.ts", [variant], ["--expose-gc"]);

export async function pagingMemory(): Promise<Row[]> {
  const runs = { client: [] as MemoryRun[], bare: [] as MemoryRun[] };
  for (let i = 0; i < ROUNDS; i++) {
    runs.client.push(await child("client"));
    runs.bare.push(await child("bare-fetch"));
  }
  const summary = (xs: MemoryRun[]) => {
    const pageBytes = median(xs.map((x) => x.pageBytes));
    const growth = median(xs.map((x) => x.growthBytes));
    return {
      pages: growth / pageBytes,
      text: `heap growth ${(growth / 1024).toFixed(0)} KB = ${(growth / pageBytes).toFixed(2)} pages' worth (a page of 100 orders: ${(pageBytes / 1024).toFixed(0)} KB)`,
      ok: xs.every((x) => x.items === 100_000 && x.ordered),
    };
  };
  const client = summary(runs.client);
  const bare = summary(runs.bare);
  return [
    {
      name: "7. Memory: HubRise paginate() over 100,000 items (1,000 pages)",
      goal: "≤ 2 pages' worth, every item once, in order",
      measured: `${client.text}${client.ok ? "" : ", ITEMS WRONG"}`,
      verdict: client.pages <= 2 && client.ok ? "pass" : "FAIL",
    },
    {
      name: "7. Memory: bare fetch cursor loop, same pages",
      goal: "for scale",
      measured: bare.text,
      verdict: "info",
    },
  ];
}
