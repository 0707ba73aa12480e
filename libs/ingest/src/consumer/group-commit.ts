/**
 * Group commit: items submitted in the same turn of the event loop (kafkajs hands a fetch's partitions to
 * `eachBatch` together) are run as one group, e.g. one database transaction for several partitions' batches.
 * Each submitter gets its own item's result, or the group's error. While a group runs, later items form the
 * next group; at most `maxItems` items per group.
 */
export class GroupCommit<T, R> {
  private pending: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;

  constructor(
    private readonly run: (items: T[]) => Promise<R[]>,
    private readonly maxItems = 64,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.maxItems) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const group = this.pending;
    this.pending = [];
    if (group.length === 0) return;
    this.run(group.map((g) => g.item)).then(
      (results) => {
        if (results.length !== group.length) {
          const err = new Error(`group commit: ${results.length} results for ${group.length} items`);
          for (const g of group) g.reject(err);
        } else group.forEach((g, i) => g.resolve(results[i]));
      },
      (err: unknown) => {
        for (const g of group) g.reject(err);
      },
    );
  }
}
