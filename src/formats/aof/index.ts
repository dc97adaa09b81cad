// The AOF reader's public face: `readAof(path)` over a single file, an appendonlydir or a
// manifest, the record types it yields, and the manifest parser for tools that only need the layout.

export { readAof } from './reader.js';
export { parseManifest, type Manifest, type ManifestEntry } from './manifest.js';
export { resolveLayout, type AofLayout, DEFAULT_MANIFEST } from './layout.js';
export type * from './records.js';
