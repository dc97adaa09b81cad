// Keyspace: keys and keys-with-TTL per database (INFO keyspace), with the average TTL.

import type { TargetState } from '../poller.js';
import { compact, placeTable, type Panel, type Place } from './panel.js';

export const KEYSPACE_HEADERS = ['db', 'keys', 'expires', 'avg ttl'];

/** Seconds in the largest whole unit: "45s", "40m", "5h", "3d" (fits the narrow column). */
export function ttlShort(seconds: number): string {
  const units: Array<[number, string]> = [[86400, 'd'], [3600, 'h'], [60, 'm']];
  for (const [size, u] of units) if (seconds >= size) return `${Math.floor(seconds / size)}${u}`;
  return `${Math.floor(seconds)}s`;
}

export function keyspaceRows(state: TargetState): string[][] {
  const ks = state.snapshot?.info.keyspace ?? {};
  return Object.entries(ks)
    .sort((a, b) => Number(a[0]) - Number(b[0]))
    .map(([db, v]) => [`db${db}`, compact(v.keys), compact(v.expires), v.avgTtl > 0 ? ttlShort(v.avgTtl / 1000) : '-']);
}

export function createKeyspace(place: Place): Panel {
  const table = placeTable(place, { row: 7, col: 9, rowSpan: 3, colSpan: 3 }, 'Keyspace', [4, 7, 7, 7]);
  return {
    title: 'Keyspace',
    widgets: [table],
    update(state) {
      const rows = keyspaceRows(state);
      table.setData({ headers: KEYSPACE_HEADERS, data: rows.length ? rows : [['-', '0', '0', '-']] });
    },
    scroll(lines) {
      table.rows.scroll(lines);
    },
  };
}
