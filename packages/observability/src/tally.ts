// Counts on the message path kept as plain numbers and added to their prom-client counter once,
// when the counter is read. prom-client's `inc(labels, n)` hashes its labels into a string,
// checks them and makes objects on every call (a counter child bound with `labels()` does the
// same); a 1:1 message made about fifteen such calls. A tally's cell is one addition; the
// counter gets each label set's sum when it is read (a scrape, `get()`: prom-client runs its
// `collect` first), so every reader sees the same values as before.
import type { Counter } from 'prom-client';

type LabelValues<L extends string> = Partial<Record<L, string | number>>;

/** The count of one label set of a counter, not yet added to it. */
export class TallyCell {
  /** Counted since the counter was last read. */
  count = 0;

  constructor(readonly labels: Readonly<Record<string, string | number>> | undefined) {}

  inc(value = 1): void {
    this.count += value;
  }
}

/** A tally's cells by key (CounterTally.keyedBy). */
export interface KeyedCells {
  get(key: string): TallyCell;
}

/** The tallies of one counter: a cell per label set, each added to the counter when it is read. */
export class CounterTally<L extends string> {
  private readonly cells: TallyCell[] = [];

  constructor(private readonly counter: Counter<L>) {
    const collector = counter as unknown as { collect?: (() => unknown) | undefined };
    const previous = collector.collect;
    collector.collect = () => {
      this.flush();
      return previous?.call(counter);
    };
  }

  /** The cell of one label set (none: an unlabelled counter). Made once per call site: keep it. */
  cell(labels?: LabelValues<L>): TallyCell {
    const cell = new TallyCell(labels as Readonly<Record<string, string | number>> | undefined);
    this.cells.push(cell);
    return cell;
  }

  /**
   * Cells found by a key (one map read, no hashing of labels), for a label whose values a call
   * site only knows as it counts (a packet type): `labelsOf(key)` makes the cell's label set.
   */
  keyedBy(labelsOf: (key: string) => LabelValues<L>): KeyedCells {
    const byKey = new Map<string, TallyCell>();
    return {
      get: (key) => {
        let cell = byKey.get(key);
        if (!cell) byKey.set(key, (cell = this.cell(labelsOf(key))));
        return cell;
      },
    };
  }

  /** Adds every cell's count to the counter (prom-client calls this before the counter is read). */
  flush(): void {
    for (const cell of this.cells) {
      if (cell.count === 0) continue;
      const count = cell.count;
      cell.count = 0;
      if (cell.labels) this.counter.inc(cell.labels as LabelValues<L>, count);
      else this.counter.inc(count);
    }
  }
}

const tallies = new WeakMap<Counter<string>, CounterTally<string>>();

/** The one tally of `counter` (every call site of a process shares it, as they share the counter). */
export function tallyOf<L extends string>(counter: Counter<L>): CounterTally<L> {
  let tally = tallies.get(counter as Counter<string>) as CounterTally<L> | undefined;
  if (!tally) {
    tally = new CounterTally(counter);
    tallies.set(counter as Counter<string>, tally as CounterTally<string>);
  }
  return tally;
}
