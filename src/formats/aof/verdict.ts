// What redis-server 7.0 does at startup with a damaged AOF, as a table from the kind of damage to
// the outcome, so the inspector can say it before anyone restarts a server on the file. Facts from
// loadSingleAppendOnlyFile / loadAppendOnlyFiles (aof.c, 7.0.15):
// - an unexpected end of file in the RESP part (inside a command, or a clean end after a MULTI
//   without EXEC) is a "short read": with aof-load-truncated yes Redis truncates the file ON DISK
//   to valid_up_to and goes on; it starts only if this was the last file it loads, otherwise it
//   has already cut the file and then refuses ("the truncated file is not the last file");
//   valid_up_to counts only RESP commands, so a short read before the first command after an RDB
//   preamble cuts the file to 0 bytes, preamble included (seen on 7.0.15);
// - with aof-load-truncated no, a short read is fatal and the file is left alone;
// - a format error (a line that is not `*`/`$`/`#`, a bad count) is fatal either way and the file
//   is left alone; so is any damage to the RDB part, truncation included (the RDB loader aborts
//   the server on "Unexpected EOF reading RDB file");
// - redis-check-aof is stricter than the loader (it wants CR LF after every number and argument,
//   and MULTI/EXEC properly paired); what only the checker rejects, the loader reads past.

import type { AofLoadOutcome, AofProblemCause, AofProblemRecord } from './records.js';

type Rule = (p: { lastFile: boolean; validUpTo: number }) => { yes: AofLoadOutcome; no: AofLoadOutcome };

const REFUSE: AofLoadOutcome = { starts: false, truncatesAt: null };
const LOADS: AofLoadOutcome = { starts: true, truncatesAt: null };
const shortRead: Rule = ({ lastFile, validUpTo }) => ({ yes: { starts: lastFile, truncatesAt: validUpTo }, no: REFUSE });
const fatal: Rule = () => ({ yes: REFUSE, no: REFUSE });

const RULES: Record<AofProblemCause, Rule> = {
  truncated: shortRead,
  'unfinished-multi': shortRead,
  'rdb-truncated': fatal,
  format: fatal,
  'rdb-corrupt': fatal,
  strict: () => ({ yes: LOADS, no: LOADS }),
};

export interface ProblemFacts {
  file: string;
  path: string;
  cause: AofProblemCause;
  offset: number;
  commandOffset: number;
  message: string;
  lastFile: boolean;
  validUpTo: number;
  okUpTo: number;
  /** Where the file's RESP part starts (after an RDB part), 0 when it has none. */
  respFrom?: number;
}

function sayOutcome(file: string, o: AofLoadOutcome): string {
  const cut = o.truncatesAt === null ? '' : `truncates ${file} to ${o.truncatesAt} bytes and `;
  return `${cut}${o.starts ? 'starts' : 'refuses to start'}`;
}

/** The problem record for these facts, with Redis 7.0's outcome under both settings. */
export function problemRecord(f: ProblemFacts): AofProblemRecord {
  const { yes, no } = RULES[f.cause](f);
  let verdict: string;
  if (f.cause === 'strict') {
    verdict = `redis-check-aof rejects this (ok_up_to=${f.okUpTo}); the Redis 7.0 loader reads past it and starts`;
  } else if (yes.truncatesAt === null) {
    verdict = `Redis 7.0 refuses to start (aof-load-truncated yes or no); redis-check-aof --fix would cut ${f.file} to ${f.okUpTo} bytes`;
  } else {
    verdict =
      `with aof-load-truncated yes Redis 7.0 ${sayOutcome(f.file, yes)}` +
      (yes.starts ? '' : ' (the truncated file is not the last file)') +
      `; with no it ${sayOutcome(f.file, no)}`;
    if (f.respFrom && yes.truncatesAt !== null && yes.truncatesAt < f.respFrom) {
      verdict += ' (the cut removes the RDB preamble too: the loader counts valid_up_to from 0 and no command was complete)';
    }
  }
  const { file, path, cause, offset, commandOffset, message, lastFile, validUpTo, okUpTo } = f;
  return { kind: 'problem', file, path, cause, offset, commandOffset, message, lastFile, validUpTo, okUpTo, loadTruncatedYes: yes, loadTruncatedNo: no, verdict };
}
