// Time bounds and the printed matrix for the fault-matrix suite.

/**
 * Runs `run`, failing with a clear message if it has not settled after `ms` of real time: a client
 * that hangs becomes a failed case, not a stuck suite.
 */
export async function within<T>(ms: number, what: string, run: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what}: still unsettled after ${ms} ms (a hang)`)),
      ms,
    );
  });
  try {
    return await Promise.race([run(), limit]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves after `ms` of real time (to see that nothing more is sent after an outcome). */
export const settle = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The outcome of each cell, row by row, printed as a Markdown table. */
export class Matrix<Row extends string, Column extends string> {
  private readonly cells = new Map<string, string>();
  constructor(
    private readonly rows: readonly Row[],
    private readonly columns: readonly Column[],
  ) {}

  set(row: Row, column: Column, outcome: string): void {
    this.cells.set(`${row}\u0000${column}`, outcome);
  }

  markdown(): string {
    const escape = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
    const line = (cells: readonly string[]) => `| ${cells.map(escape).join(" | ")} |`;
    return [
      line(["fault", ...this.columns]),
      line(["---", ...this.columns.map(() => "---")]),
      ...this.rows.map((row) =>
        line([row, ...this.columns.map((c) => this.cells.get(`${row}\u0000${c}`) ?? "(not run)")]),
      ),
    ].join("\n");
  }
}
