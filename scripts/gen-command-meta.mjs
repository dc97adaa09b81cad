// Regenerates the COMMAND_META rows of src/engine/commands/command-docs.ts from a running real
// Redis 7.0 (facts only: since, group, key specs, tips, argument structure). Summaries come from
// scripts/command-summaries.tsv (our own wording); complexity and replaced_by wording from the
// tables below. Usage: node scripts/gen-command-meta.mjs PORT > rows.ts, then paste the rows.
import fs from 'node:fs';
import { Redis } from 'ioredis';
const port = Number(process.argv[2]);
if (!port) {
  console.error('usage: node scripts/gen-command-meta.mjs PORT   (a running redis-server 7.0 on 127.0.0.1:PORT)');
  process.exit(2);
}
const r = new Redis({ port, host: '127.0.0.1', lazyConnect: true });
await r.connect();
const info = await r.call('COMMAND');
const docs = await r.call('COMMAND', 'DOCS');
r.disconnect();
const summaries = new Map(
  fs.readFileSync(new URL('./command-summaries.tsv', import.meta.url), 'utf8').trim().split('\n').map((l) => l.split('\t')),
);
const obj = (a) => { const o = {}; for (let i = 0; i < a.length; i += 2) o[a[i]] = a[i + 1]; return o; };
const complexityOverride = {
  xreadgroup: 'O(M) per stream, M = entries returned', xread: 'O(N) per stream, N = entries returned',
  migrate: 'O(N) transfer plus the DUMP, DEL and RESTORE costs', evalsha: 'depends on the script', eval: 'depends on the script',
  evalsha_ro: 'depends on the script', eval_ro: 'depends on the script', fcall: 'depends on the function', fcall_ro: 'depends on the function',
  exec: 'depends on the queued commands', spop: 'O(1), or O(N) with a count of N', srandmember: 'O(1), or O(N) with a count of N',
  pfdebug: 'n/a', pfselftest: 'n/a', 'memory|malloc-stats': 'depends on allocated memory', 'memory|purge': 'depends on allocated memory',
};
const replaced = {
  rpoplpush: 'LMOVE with RIGHT LEFT', substr: 'GETRANGE', brpoplpush: 'BLMOVE with RIGHT LEFT', zrevrange: 'ZRANGE with REV',
  georadiusbymember: 'GEOSEARCH or GEOSEARCHSTORE with FROMMEMBER and BYRADIUS', zrevrangebyscore: 'ZRANGE with BYSCORE and REV',
  getset: 'SET with GET', zrangebyscore: 'ZRANGE with BYSCORE', zrangebylex: 'ZRANGE with BYLEX',
  georadius: 'GEOSEARCH or GEOSEARCHSTORE with BYRADIUS', 'cluster|slots': 'CLUSTER SHARDS', 'cluster|slaves': 'CLUSTER REPLICAS',
  georadius_ro: 'GEOSEARCH with BYRADIUS', hmset: 'HSET with several field/value pairs', zrevrangebylex: 'ZRANGE with BYLEX and REV',
  slaveof: 'REPLICAOF', georadiusbymember_ro: 'GEOSEARCH with FROMMEMBER and BYRADIUS',
};
const TYPE = { string: 's', integer: 'i', double: 'd', key: 'k', pattern: 'p', 'unix-time': 't', 'pure-token': 'T', oneof: 'O', block: 'B' };
function encArgs(args) {
  return args.map((a) => {
    const o = obj(a);
    let s = '';
    const f = o.flags ?? [];
    if (f.includes('optional')) s += '?';
    if (f.includes('multiple')) s += '*';
    if (f.includes('multiple_token')) s += '+';
    for (const x of f) if (!['optional', 'multiple', 'multiple_token'].includes(x)) throw new Error(x);
    if (/[ =()@#!?*+]/.test(o.name)) throw new Error('bad name ' + o.name);
    s += o.name + '=' + TYPE[o.type];
    if (o.key_spec_index !== undefined) s += o.key_spec_index;
    if (o.token !== undefined) { if (/[ ()#!]/.test(o.token)) throw new Error('bad tok ' + o.token); s += '@' + o.token; }
    if (o.since) s += '#' + o.since;
    if (o.deprecated_since) s += '!' + o.deprecated_since;
    for (const k of Object.keys(o)) if (!['name', 'type', 'key_spec_index', 'token', 'since', 'deprecated_since', 'flags', 'arguments'].includes(k)) throw new Error(k);
    if (o.arguments) s += '(' + encArgs(o.arguments) + ')';
    return s;
  }).join(' ');
}
function encKs(ks) {
  const o = obj(ks);
  const bs = obj(o.begin_search), fk = obj(o.find_keys);
  const bss = obj(bs.spec), fks = obj(fk.spec);
  let b = bs.type === 'index' ? `i${bss.index}` : bs.type === 'keyword' ? `k${bss.keyword},${bss.startfrom}` : 'u';
  let k = fk.type === 'range' ? `r${fks.lastkey},${fks.keystep},${fks.limit}` : fk.type === 'keynum' ? `n${fks.keynumidx},${fks.firstkey},${fks.keystep}` : 'u';
  if (bs.type === 'unknown' && fk.type !== 'unknown') throw new Error('mixed');
  return `${o.flags.join(',')} ${b} ${k}`;
}
const infoByName = new Map();
(function w(list) { for (const c of list) { infoByName.set(c[0], c); w(c[9]); } })(info);
const rows = [];
function walk(name, m) {
  const o = obj(m);
  const c = infoByName.get(name);
  const sum = summaries.get(name);
  if (!sum) throw new Error('no summary ' + name);
  let cx = complexityOverride[name];
  if (!cx && o.complexity) {
    if (o.complexity === 'Depends on subcommand.') cx = 'depends on the subcommand';
    else { cx = o.complexity.match(/^O\((?:[^()]|\([^()]*\))*\)/)?.[0]; if (!cx) throw new Error('cx ' + name + o.complexity); }
  }
  const extra = [];
  if (c[8].length) extra.push(`ks: [${c[8].map((k) => `'${encKs(k)}'`).join(', ')}]`);
  if (c[7].length) extra.push(`tips: '${c[7].join(' ')}'`);
  if (o.doc_flags?.length) extra.push(`doc: '${o.doc_flags.join(' ')}'`);
  if (o.deprecated_since) extra.push(`dep: ['${o.deprecated_since}', '${replaced[name]}']`);
  if (o.arguments) extra.push(`args: '${encArgs(o.arguments)}'`);
  for (const k of Object.keys(o)) if (!['summary', 'since', 'group', 'complexity', 'history', 'arguments', 'doc_flags', 'deprecated_since', 'replaced_by', 'subcommands'].includes(k)) throw new Error(k);
  const esc = (s) => s.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
  rows.push([name, `  '${name}': m('${o.since}', '${o.group}', ${cx ? `'${esc(cx)}'` : 'null'}, '${esc(sum)}'${extra.length ? `, { ${extra.join(', ')} }` : ''}),`]);
  if (o.subcommands) for (let j = 0; j < o.subcommands.length; j += 2) walk(o.subcommands[j], o.subcommands[j + 1]);
}
for (let i = 0; i < docs.length; i += 2) walk(docs[i], docs[i + 1]);
rows.sort((a, b) => (a[0] < b[0] ? -1 : 1));
process.stdout.write(rows.map((row) => row[1]).join('\n') + '\n');
console.error(`${rows.length} commands`);
