/** A binary heap of numbers ordered by `before(a, b)` (true when a comes out first). */
export class MinHeap {
  private readonly items: number[] = [];
  private readonly before: (a: number, b: number) => boolean;

  constructor(before: (a: number, b: number) => boolean) {
    this.before = before;
  }

  get size(): number {
    return this.items.length;
  }

  /** The first item; only when size > 0. */
  get top(): number {
    return this.items[0] as number;
  }

  push(item: number): void {
    const { items } = this;
    let i = items.length;
    items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(item, items[parent] as number)) break;
      items[i] = items[parent] as number;
      i = parent;
    }
    items[i] = item;
  }

  /** Removes the first item. */
  pop(): void {
    const last = this.items.pop() as number;
    if (this.items.length > 0) this.replaceTop(last);
  }

  /** Replaces the first item (or re-sorts it after its key changed) in one pass. */
  replaceTop(item: number): void {
    const { items } = this;
    const size = items.length;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      const right = child + 1;
      if (right < size && this.before(items[right] as number, items[child] as number)) {
        child = right;
      }
      if (!this.before(items[child] as number, item)) break;
      items[i] = items[child] as number;
      i = child;
    }
    items[i] = item;
  }
}
