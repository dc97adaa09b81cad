// Findings and the fragmentation verdict of one target, kept between scrapes. The analyzers read a
// whole Snapshot (rules over INFO, rates against an earlier Snapshot, the fragmentation model over
// MEMORY STATS) and their answers move on a scale of seconds, not of scrapes; yet they cost more
// than turning the Snapshot into metrics. So the pool runs them on their own cadence, after the
// scrape that fed them has been answered, and every scrape in between serves the last answer.
// Only a target's first scrape waits for them, so its very first page is already complete.

import type { Snapshot } from '../collect/snapshot.js';
import { analyzeSnapshot, fragmentationReport, type Finding, type FragmentationVerdict } from '../analyze/index.js';

export interface TargetAnalysis {
  findings: Finding[];
  /** null when the model could not judge (or threw). */
  verdict: FragmentationVerdict | null;
  /** When the analysed Snapshot was taken (unix ms). */
  takenAt: number;
}

/** Every verdict, exported as one sample each (1 for the current one). */
export const VERDICTS: readonly FragmentationVerdict[] = ['healthy', 'fragmented', 'rss-overhead', 'too-small-to-judge'];

/** Analyzers are pure but young: a rule that throws must not cost the scrape. */
function safely<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback;
  }
}

/** Runs the analyzers on one Snapshot (rates against `previous` when given). */
export function analyzeTarget(snapshot: Snapshot, previous?: Snapshot | null): TargetAnalysis {
  return {
    findings: safely<Finding[]>(() => analyzeSnapshot({ snapshot, previous: previous ?? undefined }), []),
    verdict: safely<FragmentationVerdict | null>(() => fragmentationReport(snapshot).fragmentation.verdict, null),
    takenAt: snapshot.takenAt,
  };
}

/** One target's cached analysis, refreshed at most every `everyMs`. */
export class AnalysisCache {
  private current: TargetAnalysis | null = null;
  /** The Snapshot behind `current`: the base of the next analysis's rates. */
  private base: Snapshot | null = null;
  private pending = false;

  constructor(private readonly everyMs: number) {}

  /** The last answer (null before the first). */
  get latest(): TargetAnalysis | null {
    return this.current;
  }

  /** Whether the next Snapshot should feed the analyzers (and so carry MEMORY STATS). */
  get due(): boolean {
    return !this.pending && (this.current === null || Date.now() - this.current.takenAt >= this.everyMs);
  }

  /**
   * A Snapshot read because `due` said so: analysed at once when nothing is cached yet, else
   * after the current request has been answered (setImmediate), its result serving later scrapes.
   */
  offer(snapshot: Snapshot): void {
    if (this.current === null) {
      this.run(snapshot);
      return;
    }
    if (this.pending) return;
    this.pending = true;
    setImmediate(() => {
      this.pending = false;
      this.run(snapshot);
    });
  }

  private run(snapshot: Snapshot): void {
    this.current = analyzeTarget(snapshot, this.base);
    this.base = snapshot;
  }
}
