// Synthetic RDB records for the report tests: a key record with the fields a reader would fill.
import type { KeyRecord, LoadedEncoding, RdbValue, RdbValueType } from '../../src/formats/rdb/records.js';

export function keyRecord(p: { key: string; type?: RdbValueType; encoding?: LoadedEncoding; db?: number; value?: RdbValue; expireAtMs?: number | null; length?: number }): KeyRecord {
  const type = p.type ?? p.value?.type ?? 'string';
  const v = p.value;
  let length = p.length ?? 0;
  let count = 0;
  let maxLength = 0;
  let totalLength = 0;
  const el = (b: string | Uint8Array) => {
    maxLength = Math.max(maxLength, b.length);
    totalLength += b.length;
  };
  if (v?.type === 'string') {
    length = v.value.length;
    count = 1;
    el(v.value);
  } else if (v?.type === 'list') {
    v.elements.forEach(el);
    count = length = v.elements.length;
  } else if (v?.type === 'set') {
    v.members.forEach(el);
    count = length = v.members.length;
  } else if (v?.type === 'zset') {
    v.members.forEach(([m]) => el(m));
    count = length = v.members.length;
  } else if (v?.type === 'hash') {
    v.fields.forEach(([f, x]) => {
      maxLength = Math.max(maxLength, f.length, x.length);
      totalLength += f.length + x.length;
    });
    count = length = v.fields.length;
  }
  return {
    kind: 'key',
    db: p.db ?? 0,
    key: p.key,
    type,
    rdbType: 0,
    onDisk: 'string',
    encoding: p.encoding ?? 'embstr',
    length,
    elements: { count, maxLength, totalLength },
    expireAtMs: p.expireAtMs ?? null,
    idleSeconds: null,
    lfuFreq: null,
    offset: 0,
    diskBytes: 10 + p.key.length + totalLength,
    value: v,
  };
}
