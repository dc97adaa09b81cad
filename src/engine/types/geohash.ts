// The geohash arithmetic behind the GEO commands (Redis's geohash.c and geohash_helper.c, rewritten).
// A point is stored as a sorted-set score: latitude and longitude are each cut into 2^26 steps of
// their range (latitude only from -85.05112878 to 85.05112878, the Web Mercator limit) and the two
// 26-bit indexes are interleaved, latitude on the even bits and longitude on the odd ones, so that
// a cell of any coarser step is one contiguous score interval. A search picks a step from the
// radius, takes the cell holding the centre plus its eight neighbours, and scans each cell's score
// interval. Every floating-point step follows Redis's order of operations, since a last-bit
// difference moves a point across a cell or a radius; cells are kept as their two integer indexes
// (a neighbour is an index +-1 wrapped to the step, as Redis's bit tricks amount to), and the
// 64-bit views (hash bits, scores taken back from arbitrary doubles) use BigInt only where a number
// could lose bits.

export const GEO_STEP_MAX = 26;
export const GEO_LAT_MIN = -85.05112878;
export const GEO_LAT_MAX = 85.05112878;
export const GEO_LONG_MIN = -180;
export const GEO_LONG_MAX = 180;
/** Earth's quadratic mean radius for WGS-84, as Redis uses it. */
export const EARTH_RADIUS_IN_METERS = 6372797.560856;
const MERCATOR_MAX = 20037726.37;
const D_R = Math.PI / 180.0;

export interface Range {
  min: number;
  max: number;
}

/** A cell: integer latitude and longitude indexes at `step` bits each. */
export interface Cell {
  lat: number;
  lon: number;
  step: number;
}

export interface Area {
  lat: Range;
  lon: Range;
}

const WGS84_LON: Range = { min: GEO_LONG_MIN, max: GEO_LONG_MAX };
const WGS84_LAT: Range = { min: GEO_LAT_MIN, max: GEO_LAT_MAX };
/** The standard geohash ranges, used only for GEOHASH's strings. */
const STD_LAT: Range = { min: -90, max: 90 };

const degRad = (ang: number): number => ang * D_R;
const radDeg = (ang: number): number => ang / D_R;

// --- bit interleaving ---------------------------------------------------------------------------

/** Spreads the low 16 bits of x over the even bits of a 32-bit result. */
function spread16(x: number): number {
  x &= 0xffff;
  x = (x | (x << 8)) & 0x00ff00ff;
  x = (x | (x << 4)) & 0x0f0f0f0f;
  x = (x | (x << 2)) & 0x33333333;
  x = (x | (x << 1)) & 0x55555555;
  return x >>> 0;
}

/** Gathers the even bits of a 32-bit value into 16 bits. */
function compact16(x: number): number {
  x &= 0x55555555;
  x = (x | (x >>> 1)) & 0x33333333;
  x = (x | (x >>> 2)) & 0x0f0f0f0f;
  x = (x | (x >>> 4)) & 0x00ff00ff;
  x = (x | (x >>> 8)) & 0x0000ffff;
  return x;
}

/** A 32-bit index spread over the even bits of 64, as a bigint. */
function spreadBig(v: number): bigint {
  return BigInt(spread16(v)) | (BigInt(spread16(Math.floor(v / 65536))) << 32n);
}

/** The interleaved hash bits of a cell (latitude even bits, longitude odd bits). */
export function cellBits(c: Cell): bigint {
  return spreadBig(c.lat) | (spreadBig(c.lon) << 1n);
}

// --- encode / decode ----------------------------------------------------------------------------

/** geohashEncode: the cell of a point at `step` bits, or null outside the Mercator limits. */
export function encode(lonRange: Range, latRange: Range, lon: number, lat: number, step: number): Cell | null {
  if (lon > GEO_LONG_MAX || lon < GEO_LONG_MIN || lat > GEO_LAT_MAX || lat < GEO_LAT_MIN) return null;
  if (lat < latRange.min || lat > latRange.max || lon < lonRange.min || lon > lonRange.max) return null;
  let latOffset = (lat - latRange.min) / (latRange.max - latRange.min);
  let lonOffset = (lon - lonRange.min) / (lonRange.max - lonRange.min);
  latOffset *= 2 ** step;
  lonOffset *= 2 ** step;
  return { lat: Math.trunc(latOffset), lon: Math.trunc(lonOffset), step };
}

/** The 52-bit score GEOADD stores for a point already checked against the limits. */
export function pointScore(lon: number, lat: number): bigint {
  return cellBits(encode(WGS84_LON, WGS84_LAT, lon, lat, GEO_STEP_MAX)!);
}

/** geohashDecode: the bounds of a cell. */
export function decodeCell(c: Cell, lonRange: Range = WGS84_LON, latRange: Range = WGS84_LAT): Area {
  const latScale = latRange.max - latRange.min;
  const lonScale = lonRange.max - lonRange.min;
  const div = 2 ** c.step;
  // The indexes are uint32 in Redis: index + 1 wraps.
  const lat1 = (c.lat + 1) >>> 0;
  const lon1 = (c.lon + 1) >>> 0;
  return {
    lat: { min: latRange.min + ((c.lat * 1.0) / div) * latScale, max: latRange.min + ((lat1 * 1.0) / div) * latScale },
    lon: { min: lonRange.min + ((c.lon * 1.0) / div) * lonScale, max: lonRange.min + ((lon1 * 1.0) / div) * lonScale },
  };
}

const TWO32 = 4294967296;
const TWO63 = 2 ** 63;
const U64_SIGN = 1n << 63n;

/** The (uint64_t) cast of a score on x86-64 (what Redis does to any zset score it decodes). */
function scoreToU64(score: number): [hi: number, lo: number] {
  if (score >= 0 && score < 2 ** 53 && Number.isInteger(score)) {
    const hi = Math.floor(score / TWO32);
    return [hi, score - hi * TWO32];
  }
  let b: bigint;
  if (score < TWO63) b = score > -TWO63 ? BigInt.asUintN(64, BigInt(Math.trunc(score))) : U64_SIGN;
  else {
    const t = score - TWO63;
    b = t < TWO63 ? BigInt(Math.trunc(t)) ^ U64_SIGN : 0n;
  }
  return [Number(b >> 32n), Number(b & 0xffffffffn)];
}

/** decodeGeohash: [longitude, latitude] of the centre of a score's cell, clamped to the limits. */
export function decodeScore(score: number): [number, number] {
  const [hi, lo] = scoreToU64(score);
  const lat = compact16(lo) + compact16(hi) * 65536;
  const lon = compact16(lo >>> 1) + compact16(hi >>> 1) * 65536;
  const a = decodeCell({ lat, lon, step: GEO_STEP_MAX });
  let x = (a.lon.min + a.lon.max) / 2;
  if (x > GEO_LONG_MAX) x = GEO_LONG_MAX;
  if (x < GEO_LONG_MIN) x = GEO_LONG_MIN;
  let y = (a.lat.min + a.lat.max) / 2;
  if (y > GEO_LAT_MAX) y = GEO_LAT_MAX;
  if (y < GEO_LAT_MIN) y = GEO_LAT_MIN;
  return [x, y];
}

const BASE32 = '0123456789bcdefghjkmnpqrstuvwxyz';

/** GEOHASH's string: the decoded point re-encoded over the standard -90..90 latitude range. */
export function geohashString(score: number): string {
  const [lon, lat] = decodeScore(score);
  const cell = encode(WGS84_LON, STD_LAT, lon, lat, GEO_STEP_MAX);
  const bits = cell ? cellBits(cell) : 0n;
  let s = '';
  for (let i = 0; i < 10; i++) s += BASE32[Number((bits >> BigInt(52 - (i + 1) * 5)) & 0x1fn)];
  return s + '0'; // 52 bits make 10 characters; the 11th is always zero, as in Redis
}

// --- correctly rounded sin, cos, asin --------------------------------------------------------------
// Redis calls glibc's libm, whose sin/cos/asin are correctly rounded in all but a handful of
// cases, while V8's fdlibm ports are off by one ulp for about 2% of arguments, which shows in
// STOREDIST scores and at radius edges. So these are evaluated in double-double arithmetic
// (about 104 bits) and rounded once. Arguments beyond +-1e6 radians (only absurd bounding boxes)
// fall back to Math.

/** Double-double results: the last operation's high and low parts. */
let dh = 0;
let dl = 0;

const SPLITTER = 134217729; // 2^27 + 1

/** dh + dl = a * b exactly (Dekker). */
function twoProd(a: number, b: number): void {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  dh = p;
  dl = ah * bh - p + ah * bl + al * bh + al * bl;
}

/** (ah, al) + (bh, bl). */
function ddAdd(ah: number, al: number, bh: number, bl: number): void {
  const s = ah + bh;
  const bb = s - ah;
  let e = ah - (s - bb) + (bh - bb);
  e += al + bl;
  dh = s + e;
  dl = e - (dh - s);
}

/** (ah, al) * (bh, bl). */
function ddMul(ah: number, al: number, bh: number, bl: number): void {
  twoProd(ah, bh);
  const p = dh;
  const e = dl + (ah * bl + al * bh);
  dh = p + e;
  dl = e - (dh - p);
}

/** 1/n! as double-doubles, n = 0..32. */
const INV_FACT_HI: number[] = [1];
const INV_FACT_LO: number[] = [0];
for (let n = 1; n <= 32; n++) {
  const h = INV_FACT_HI[n - 1]!;
  const l = INV_FACT_LO[n - 1]!;
  const q1 = h / n;
  twoProd(q1, n);
  const q2 = (h - dh - dl + l) / n;
  INV_FACT_HI.push(q1 + q2);
  INV_FACT_LO.push(q2 - (q1 + q2 - q1));
}

const PIO2_1 = 1.5707963267948966;
const PIO2_2 = 6.123233995736766e-17;
const PIO2_3 = -1.4973849048591698e-33;

/** sum_k (-1)^k r2^k / (2k + first)! by Horner, for r2 = r*r <= (pi/4)^2. */
function series(r2h: number, r2l: number, first: number): void {
  let sh = 0;
  let sl = 0;
  for (let n = first + 30; n >= first; n -= 2) {
    ddMul(sh, sl, r2h, r2l);
    const sign = ((n - first) / 2) % 2 === 0 ? 1 : -1;
    ddAdd(sign * INV_FACT_HI[n]!, sign * INV_FACT_LO[n]!, dh, dl);
    sh = dh;
    sl = dl;
  }
}

/** sin (which = 0) or cos (which = 1) of x as a double-double in (dh, dl). */
function sinCosDD(x: number, which: 0 | 1): void {
  const k = Math.round(x / PIO2_1);
  twoProd(k, PIO2_1);
  let rh = x - dh;
  let rl = x - rh - dh - dl;
  const t = rh + rl;
  rl = rl - (t - rh);
  rh = t;
  twoProd(k, PIO2_2);
  ddAdd(rh, rl, -dh, -dl);
  ddAdd(dh, dl, -k * PIO2_3, 0);
  rh = dh;
  rl = dl;
  ddMul(rh, rl, rh, rl);
  const r2h = dh;
  const r2l = dl;
  const quadrant = (((k + which) % 4) + 4) % 4;
  if (quadrant % 2 === 0) {
    series(r2h, r2l, 1);
    ddMul(dh, dl, rh, rl);
  } else series(r2h, r2l, 0);
  if (quadrant >= 2) {
    dh = -dh;
    dl = -dl;
  }
}

export function crSin(x: number): number {
  if (x === 0 || !(Math.abs(x) < 1e6)) return Math.sin(x);
  sinCosDD(x, 0);
  return dh + dl;
}

export function crCos(x: number): number {
  if (!(Math.abs(x) < 1e6)) return Math.cos(x);
  sinCosDD(x, 1);
  return dh + dl;
}

/** asin(zh + zl) for 0 <= z <= 0.5 + a bit, one Newton step from Math.asin. */
function asinSmallDD(zh: number, zl: number): void {
  const y0 = Math.asin(zh);
  sinCosDD(y0, 0);
  ddAdd(dh, dl, -zh, -zl);
  const delta = -(dh + dl) / Math.cos(y0);
  dh = y0 + delta;
  dl = delta - (dh - y0);
}

export function crAsin(x: number): number {
  if (!(x >= -1 && x <= 1) || x === 0) return Math.asin(x);
  const neg = x < 0;
  const a = Math.abs(x);
  let r: number;
  if (a <= 0.5) {
    asinSmallDD(a, 0);
    r = dh + dl;
  } else {
    // asin(a) = pi/2 - 2 asin(sqrt((1 - a) / 2)), with (1 - a) / 2 exact and its root in double-double.
    const t = (1 - a) / 2;
    const s = Math.sqrt(t);
    let zl = 0;
    if (s > 0) {
      twoProd(s, s);
      zl = (t - dh - dl) / (2 * s);
    }
    asinSmallDD(s, zl);
    ddAdd(PIO2_1, PIO2_2, -2 * dh, -2 * dl);
    r = dh + dl;
  }
  return neg ? -r : r;
}

// --- distances ----------------------------------------------------------------------------------

/** Distance along a meridian (the haversine when the longitudes agree). */
export function latDistance(lat1d: number, lat2d: number): number {
  return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2d) - degRad(lat1d));
}

/** Haversine great-circle distance in meters. */
export function distance(lon1d: number, lat1d: number, lon2d: number, lat2d: number): number {
  const lon1r = degRad(lon1d);
  const lon2r = degRad(lon2d);
  const v = crSin((lon2r - lon1r) / 2);
  if (v === 0.0) return latDistance(lat1d, lat2d);
  const lat1r = degRad(lat1d);
  const lat2r = degRad(lat2d);
  const u = crSin((lat2r - lat1r) / 2);
  const a = u * u + crCos(lat1r) * crCos(lat2r) * v * v;
  return 2.0 * EARTH_RADIUS_IN_METERS * crAsin(Math.sqrt(a));
}

// --- search shapes and areas --------------------------------------------------------------------

/** A search: centre [lon, lat], a radius or a box in `unit`s, and the unit's size in meters. */
export type Shape =
  | { type: 'radius'; xy: [number, number]; conversion: number; radius: number }
  | { type: 'box'; xy: [number, number]; conversion: number; width: number; height: number };

/**
 * Whether a point is inside the shape, and its distance (meters) from the centre when it is;
 * null when it is outside. The box test measures along the point's parallel, as Redis does.
 */
export function distanceInShape(shape: Shape, lon: number, lat: number): number | null {
  const [x1, y1] = shape.xy;
  if (shape.type === 'radius') {
    const d = distance(x1, y1, lon, lat);
    return d > shape.radius * shape.conversion ? null : d;
  }
  const widthM = shape.width * shape.conversion;
  const heightM = shape.height * shape.conversion;
  if (latDistance(lat, y1) > heightM / 2) return null;
  if (distance(lon, lat, x1, lat) > widthM / 2) return null;
  return distance(x1, y1, lon, lat);
}

/** geohashEstimateStepsByRadius: the coarsest step whose cells still cover the radius. */
function estimateSteps(rangeMeters: number, lat: number): number {
  if (rangeMeters === 0) return 26;
  let step = 1;
  while (rangeMeters < MERCATOR_MAX) {
    rangeMeters *= 2;
    step++;
  }
  step -= 2;
  if (lat > 66 || lat < -66) {
    step--;
    if (lat > 80 || lat < -80) step--;
  }
  if (step < 1) step = 1;
  if (step > 26) step = 26;
  return step;
}

/** geohashBoundingBox: [minLon, minLat, maxLon, maxLat] around the shape. */
function boundingBox(shape: Shape): [number, number, number, number] {
  const [longitude, latitude] = shape.xy;
  const height = shape.conversion * (shape.type === 'radius' ? shape.radius : shape.height / 2);
  const width = shape.conversion * (shape.type === 'radius' ? shape.radius : shape.width / 2);
  const latDelta = radDeg(height / EARTH_RADIUS_IN_METERS);
  const lonDeltaTop = radDeg(width / EARTH_RADIUS_IN_METERS / crCos(degRad(latitude + latDelta)));
  const lonDeltaBottom = radDeg(width / EARTH_RADIUS_IN_METERS / crCos(degRad(latitude - latDelta)));
  const south = latitude < 0;
  return [
    south ? longitude - lonDeltaBottom : longitude - lonDeltaTop,
    latitude - latDelta,
    south ? longitude + lonDeltaBottom : longitude + lonDeltaTop,
    latitude + latDelta,
  ];
}

/** The moves of the eight neighbours, in the order Redis searches them: N, S, E, W, NE, NW, SE, SW. */
const NEIGHBOUR_MOVES: ReadonlyArray<[dLon: number, dLat: number]> = [
  [0, 1],
  [0, -1],
  [1, 0],
  [-1, 0],
  [1, 1],
  [-1, 1],
  [1, -1],
  [-1, -1],
];
const N = 0;
const S = 1;
const E = 2;
const W = 3;
const NE = 4;
const NW = 5;
const SE = 6;
const SW = 7;

/** Moves one index by d, wrapping at the step; an unmoved index keeps any overflow bit. */
function move(v: number, d: number, step: number): number {
  if (d === 0) return v;
  const m = 2 ** step;
  return (((v + d) % m) + m) % m;
}

function neighbours(c: Cell): Cell[] {
  return NEIGHBOUR_MOVES.map(([dLon, dLat]) => ({ lat: move(c.lat, dLat, c.step), lon: move(c.lon, dLon, c.step), step: c.step }));
}

/**
 * geohashCalculateAreasByShapeWGS84 + membersOfAllNeighbors' box list: the score intervals
 * [min, max) to scan, centre first then the neighbours, with discarded neighbours left out and a
 * neighbour equal to the last one scanned skipped (huge radii make neighbours coincide).
 */
export function searchIntervals(shape: Shape): Array<[number, number]> {
  const [minLon, minLat, maxLon, maxLat] = boundingBox(shape);
  const [longitude, latitude] = shape.xy;
  let radiusMeters =
    shape.type === 'radius' ? shape.radius : Math.sqrt((shape.width / 2) * (shape.width / 2) + (shape.height / 2) * (shape.height / 2));
  radiusMeters *= shape.conversion;
  let steps = estimateSteps(radiusMeters, latitude);
  let hash = encode(WGS84_LON, WGS84_LAT, longitude, latitude, steps)!;
  let around = neighbours(hash);
  let area = decodeCell(hash);
  const north = decodeCell(around[N]!);
  const south = decodeCell(around[S]!);
  const east = decodeCell(around[E]!);
  const west = decodeCell(around[W]!);
  const decrease = north.lat.max < maxLat || south.lat.min > minLat || east.lon.max < maxLon || west.lon.min > minLon;
  if (steps > 1 && decrease) {
    steps--;
    hash = encode(WGS84_LON, WGS84_LAT, longitude, latitude, steps)!;
    around = neighbours(hash);
    area = decodeCell(hash);
  }
  const cells: Array<Cell | null> = [hash, ...around];
  if (steps >= 2) {
    const drop = (...which: number[]) => which.forEach((i) => (cells[i + 1] = null));
    if (area.lat.min < minLat) drop(S, SW, SE);
    if (area.lat.max > maxLat) drop(N, NE, NW);
    if (area.lon.min < minLon) drop(W, SW, NW);
    if (area.lon.max > maxLon) drop(E, SE, NE);
  }
  const out: Array<[number, number]> = [];
  // Redis remembers the last scanned box by its index, and index 0 (the centre) reads as "none".
  let last = 0;
  cells.forEach((c, i) => {
    if (c === null) return;
    const prev = cells[last];
    if (last !== 0 && prev && c.lat === prev.lat && c.lon === prev.lon && c.step === prev.step) return;
    const bits = cellBits(c);
    const shift = BigInt(52 - c.step * 2);
    out.push([Number(bits << shift), Number((bits + 1n) << shift)]);
    last = i;
  });
  return out;
}
