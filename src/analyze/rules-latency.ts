// Latency rules: spikes the latency monitor recorded (LATENCY LATEST) and a slow log that is
// switched off, so slow commands leave no trace. The full reading of latency events (our LATENCY
// DOCTOR) is in latency.ts; this rule only says "there is something to read".

import { confNum, known, type Rule } from './finding.js';

export const LATENCY_RULES: Rule[] = [
  {
    id: 'latency-events',
    area: 'latency',
    when: 'LATENCY LATEST lists events: warning when one reached latencyEventWarnMs (100 ms), info otherwise.',
    evaluate({ snapshot: s, thresholds: t }) {
      const events = s.latency?.latest ?? [];
      if (events.length === 0) return null;
      const sorted = [...events].sort((a, b) => b.maxMs - a.maxMs);
      return {
        severity: sorted[0]!.maxMs >= t.latencyEventWarnMs ? 'warning' : 'info',
        title: 'The latency monitor recorded spikes',
        evidence: sorted.map((e) => `${e.event}: latest ${e.latestMs} ms, max ${e.maxMs} ms`).join('; ') + '.',
        advice: '`redscope latency` explains each event (our LATENCY DOCTOR); LATENCY HISTORY <event> shows when; LATENCY RESET clears them once handled.',
      };
    },
  },
  {
    id: 'latency-slowlog-off',
    area: 'latency',
    when: 'slowlog-log-slower-than < 0 or slowlog-max-len 0 (slow log disabled): warning; slowlog-log-slower-than 0 (logs every command): info.',
    evaluate({ snapshot: s }) {
      const slower = confNum(s, 'slowlog-log-slower-than');
      const len = confNum(s, 'slowlog-max-len');
      if (!known(slower, len)) return null;
      if (slower < 0 || len === 0) {
        return {
          severity: 'warning',
          title: 'The slow log is disabled',
          evidence: `slowlog-log-slower-than ${slower}; slowlog-max-len ${len}.`,
          advice: 'CONFIG SET slowlog-log-slower-than 10000 (10 ms) and CONFIG SET slowlog-max-len 128 so slow commands can be found afterwards.',
        };
      }
      if (slower === 0) {
        return {
          severity: 'info',
          title: 'The slow log records every command',
          evidence: `slowlog-log-slower-than 0; slowlog-max-len ${len}: the log turns over quickly and real outliers are pushed out.`,
          advice: 'Outside a debugging session, CONFIG SET slowlog-log-slower-than 10000 (or 1000 for a latency-sensitive service).',
        };
      }
      return null;
    },
  },
];
