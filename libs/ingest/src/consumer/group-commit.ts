export interface GroupCommitOptions<T> {
  /** Groups running at once (default 2: one applies while the next is assembled and sent). */
  maxInFlight?: number;
  /** Weight of an item (e.g. its events); a group stops growing at maxWeight (it always takes one item). */
  weight?: (item: T) => number;
  maxWeight?: number;
}

interface Pending<T, R> {
  item: T;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit: items submitted in the same turn of the event loop (kafkajs hands a fetch's partitions to
 * `eachBatch` together) are run as one group, e.g. one database transaction for several partitions' batches.
 * Each submitter gets its own item's result, or the group's error. At most `maxInFlight` groups run at once;
 * items arriving meanwhile wait and form the next group, up to `maxWeight`.
 */
export class GroupCommit<T, R> {
  private pending: Pending<T, R>[] = [];
  private scheduled = false;
  private inFlight = 0;
  private readonly maxInFlight: number;
  private readonly weight: (item: T) => number;
  private readonly maxWeight: number;

  constructor(
    private readonly run: (items: T[]) => Promise<R[]>,
    o: GroupCommitOptions<T> = {},
  ) {
    this.maxInFlight = o.maxInFlight ?? 2;
    this.weight = o.weight ?? (() => 1);
    this.maxWeight = o.maxWeight ?? Infinity;
  }

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.flush();
        });
      }
    });
  }

  private flush(): void {
    while (this.inFlight < this.maxInFlight && this.pending.length > 0) {
      let weight = 0;
      let n = 0;
      while (
        n < this.pending.length &&
        (n === 0 || weight + this.weight(this.pending[n].item) <= this.maxWeight)
      ) {
        weight += this.weight(this.pending[n].item);
        n++;
      }
      this.start(this.pending.splice(0, n));
    }
  }

  private start(group: Pending<T, R>[]): void {
    this.inFlight++;
    const settle = () => {
      this.inFlight--;
      this.flush();
    };
    this.run(group.map((g) => g.item)).then(
      (results) => {
        if (results.length !== group.length) {
          const err = new Error(`group commit: ${results.length} results for ${group.length} items`);
          for (const g of group) g.reject(err);
        } else group.forEach((g, i) => g.resolve(results[i]));
        settle();
      },
      (err: unknown) => {
        for (const g of group) g.reject(err);
        settle();
      },
    );
  }
}
