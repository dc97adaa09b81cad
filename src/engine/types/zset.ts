// PLACEHOLDER until the sorted-set work lands: the sorted set behind ZSetObj.
// (Replaced by a skiplist with spans plus a member dictionary.)
export class SortedSet {
  get size(): number {
    return 0;
  }
  clone(): SortedSet {
    return new SortedSet();
  }
}
