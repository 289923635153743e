/**
 * Exact linear algebra for the differencing attacks on small-count suppression: a published
 * number is an equation (the unknowns it adds up, each once), and a withheld cell is recovered
 * when some combination of published equations equals its own.
 */

/** A number as an equation: the indexes of the unknowns it adds up. */
export type Equation = number[];

/** Exact elimination over the integers (rows kept primitive), with a basis by pivot column. */
export class RowSpace {
  private readonly basis = new Map<number, number[]>();
  constructor(private readonly size: number) {}

  private reduce(equation: Equation): number[] {
    const row = new Array<number>(this.size).fill(0);
    for (const v of equation) row[v] = (row[v] as number) + 1;
    for (let col = 0; col < this.size; col++) {
      const x = row[col] as number;
      const pivot = this.basis.get(col);
      if (x === 0 || !pivot) continue;
      const p = pivot[col] as number;
      // The whole row: columns before this one may hold entries no pivot removed.
      for (let k = 0; k < this.size; k++)
        row[k] = (row[k] as number) * p - (pivot[k] as number) * x;
      normalise(row);
    }
    return row;
  }

  add(equation: Equation): void {
    const row = this.reduce(equation);
    const col = row.findIndex((x) => x !== 0);
    if (col >= 0) this.basis.set(col, row);
  }

  /** True when some combination of the equations added gives exactly this one. */
  spans(equation: Equation): boolean {
    return this.reduce(equation).every((x) => x === 0);
  }
}

function normalise(row: number[]): void {
  let g = 0;
  for (const x of row) {
    if (!Number.isSafeInteger(x)) throw new Error("elimination left the safe integers");
    g = gcd(g, Math.abs(x));
  }
  if (g > 1) for (let k = 0; k < row.length; k++) row[k] = (row[k] as number) / g;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
