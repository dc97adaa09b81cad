// The public surface of exporter/: the HTTP exporter, its options and the pure Snapshot → metrics
// step (for tests and for other faces that want the exposition text). cli/ imports from here only.

export { startExporter, globToRegExp, scrapeDeadlineMs, type ExporterConfig, type RunningExporter } from './server.js';
export { TargetPool, type PoolOptions } from './pool.js';
export { targetFamilies, mergeTargets, toRegistry, DEFAULT_METRIC_OPTIONS, type MetricOptions, type TargetScrape, type FamilySet } from './metrics.js';
export { writeFamilies, joinTexts } from './exposition.js';
export { analyzeTarget, AnalysisCache, type TargetAnalysis } from './analysis.js';
export { DEFAULT_KEY_WORK, parseKeyPatterns, type KeyWorkOptions, type KeyWorkResult } from './key-work.js';
export { INFO_METRICS, FAMILIES, REDSCOPE_FAMILIES, infoValue } from './metric-table.js';
