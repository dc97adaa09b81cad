// SCAN cursors over a slot array, shared by the containers that keep their entries in one (ScanMap,
// the sorted set's member dictionary). Entries sit in slots in insertion order; deletes leave
// holes; compaction renumbers the survivors and advances an epoch. A cursor names the slot to
// resume at, the slot count when the scan began (later slots hold entries added during the scan,
// which SCAN need not return, so a scan ends even while entries keep arriving faster than it walks)
// and the epoch it was made in. A cursor from the previous epoch is translated through the last
// compaction's survivor list; older ones restart at 0, which only repeats entries, as SCAN may.

const EPOCH_BITS = 8;
const EPOCH_MOD = 1 << EPOCH_BITS;
/** Cursor layout (64 bits): [limit: 28][index: 28][epoch: 8]. */
const INDEX_BITS = 28;
const INDEX_MASK = (1n << BigInt(INDEX_BITS)) - 1n;

export class SlotCursors {
  private epoch = 0;
  /** Sorted old slot indexes kept by the last compaction: old index -> position = new index. */
  private lastKept: Int32Array | null = null;

  /** The cursor that resumes at slot `index` of a scan bounded by `limit` slots. */
  encode(index: number, limit: number): bigint {
    return (BigInt(limit) << BigInt(INDEX_BITS + EPOCH_BITS)) | (BigInt(index) << BigInt(EPOCH_BITS)) | BigInt(this.epoch);
  }

  /** [slot index to resume at, slot count when the scan began], in the current numbering. */
  resolve(cursor: bigint, slotCount: number): [number, number] {
    if (cursor === 0n) return [0, slotCount];
    const epoch = Number(cursor & BigInt(EPOCH_MOD - 1));
    const index = Number((cursor >> BigInt(EPOCH_BITS)) & INDEX_MASK);
    const limit = Number(cursor >> BigInt(INDEX_BITS + EPOCH_BITS));
    if (epoch === this.epoch) return [index, limit];
    if (epoch === (this.epoch + EPOCH_MOD - 1) % EPOCH_MOD && this.lastKept) {
      // Entries that survived compaction keep their order: new index = kept entries before old index.
      return [this.keptBefore(index), this.keptBefore(limit)];
    }
    return [0, slotCount];
  }

  /** Records a compaction: `kept` lists the surviving old slot indexes in ascending order. */
  compacted(kept: Int32Array): void {
    this.lastKept = kept;
    this.epoch = (this.epoch + 1) % EPOCH_MOD;
  }

  /** Every slot is gone (a clear): older cursors restart. */
  cleared(): void {
    this.lastKept = null;
    this.epoch = (this.epoch + 1) % EPOCH_MOD;
  }

  private keptBefore(oldIndex: number): number {
    const kept = this.lastKept!;
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (kept[mid]! < oldIndex) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
