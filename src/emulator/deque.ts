// A first-in first-out queue with O(1) push and shift, for the hot path of the
// work queue. Entries that went stale are skipped by the caller (lazy
// deletion), so removing from the middle never costs a scan.

export class Deque<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  push(item: T): void {
    this.items.push(item);
  }

  peek(): T | undefined {
    return this.items[this.head];
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    // Reclaim the consumed prefix once it is most of the array: amortized O(1).
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** Drops entries from the front while `stale` says so, and returns the first live one. */
  firstLive(stale: (item: T) => boolean): T | undefined {
    let item = this.peek();
    while (item !== undefined && stale(item)) {
      this.shift();
      item = this.peek();
    }
    return item;
  }
}
