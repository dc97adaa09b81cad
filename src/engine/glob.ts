// Redis's glob matcher (stringmatchlen): `*`, `?`, `[abc]`, `[^a]`, `[a-z]`, `\x` escapes,
// on byte strings. Used by KEYS, SCAN MATCH, PSUBSCRIBE and CONFIG GET. Like Redis 7.0.15 it stops
// early once the rest of a pattern after a `*` matched nowhere in the rest of the string: no
// enclosing `*` can then match either, which keeps patterns like a*a*a*...*b polynomial.

interface MatchState {
  /** Set when a `*` tried every remaining position without a match (skipLongerMatches). */
  giveUp: boolean;
}

export function globMatch(pattern: string, str: string, nocase = false): boolean {
  return matchAt(pattern, 0, str, 0, nocase, 0, { giveUp: false });
}

function eq(a: number, b: number, nocase: boolean): boolean {
  if (a === b) return true;
  if (!nocase) return false;
  const la = a >= 65 && a <= 90 ? a + 32 : a;
  const lb = b >= 65 && b <= 90 ? b + 32 : b;
  return la === lb;
}

function matchAt(p: string, pi: number, s: string, si: number, nocase: boolean, depth: number, st: MatchState): boolean {
  if (depth > 1000) return false; // Redis caps recursion the same way
  const plen = p.length;
  const slen = s.length;
  while (pi < plen && si <= slen) {
    const c = p.charCodeAt(pi);
    if (c === 42 /* * */) {
      while (pi + 1 < plen && p.charCodeAt(pi + 1) === 42) pi++;
      if (pi + 1 === plen) return true;
      for (let k = si; k <= slen; k++) {
        if (matchAt(p, pi + 1, s, k, nocase, depth + 1, st)) return true;
        if (st.giveUp) return false;
      }
      st.giveUp = true;
      return false;
    }
    if (si >= slen) return false;
    const sc = s.charCodeAt(si);
    if (c === 63 /* ? */) {
      si++;
      pi++;
      continue;
    }
    if (c === 91 /* [ */) {
      pi++;
      const not = p.charCodeAt(pi) === 94; /* ^ */
      if (not) pi++;
      let matched = false;
      for (;;) {
        if (pi >= plen) {
          pi--; // unterminated class: Redis treats the end as closing it
          break;
        }
        const pc = p.charCodeAt(pi);
        if (pc === 92 /* \ */ && pi + 1 < plen) {
          pi++;
          if (eq(p.charCodeAt(pi), sc, nocase)) matched = true;
        } else if (pc === 93 /* ] */) {
          break;
        } else if (pi + 2 < plen && p.charCodeAt(pi + 1) === 45 /* - */) {
          let start = pc;
          let end = p.charCodeAt(pi + 2);
          if (start > end) [start, end] = [end, start];
          let x = sc;
          if (nocase) {
            start = start >= 65 && start <= 90 ? start + 32 : start;
            end = end >= 65 && end <= 90 ? end + 32 : end;
            x = x >= 65 && x <= 90 ? x + 32 : x;
          }
          pi += 2;
          if (x >= start && x <= end) matched = true;
        } else if (eq(pc, sc, nocase)) {
          matched = true;
        }
        pi++;
      }
      if (not) matched = !matched;
      if (!matched) return false;
      si++;
      pi++;
      continue;
    }
    if (c === 92 /* \ */ && pi + 1 < plen) {
      pi++;
    }
    if (!eq(p.charCodeAt(pi), sc, nocase)) return false;
    si++;
    pi++;
  }
  while (pi < plen && p.charCodeAt(pi) === 42) pi++;
  return pi === plen && si === slen;
}
