// Security rules, from CONFIG (secrets arrive as "(set)" or "", never their value): an open server
// reachable from the network, protected mode off, and admin commands (CONFIG, DEBUG, FLUSHALL,
// KEYS) left callable under their own names. ACL users are not visible here, so advice says how
// to check rather than assuming.

import { conf, role, type Rule, type RuleContext } from './finding.js';
import type { Snapshot } from '../collect/snapshot.js';

/** True for addresses that only accept connections from this host. */
function isLoopback(addr: string): boolean {
  const a = addr.replace(/^-/, '').toLowerCase();
  return a === 'localhost' || a === '::1' || /^127\.\d+\.\d+\.\d+$/.test(a);
}

/** Where the server listens: 'loopback' when every bind address is loopback (or TCP is off), 'network' otherwise, undefined when CONFIG is unreadable. */
export function exposure(s: Snapshot): 'loopback' | 'network' | undefined {
  const bind = conf(s, 'bind');
  if (bind === undefined) return undefined;
  if (conf(s, 'port') === '0') return 'loopback';
  const addrs = bind.trim().split(/\s+/).filter(Boolean);
  if (addrs.length === 0) return 'network';
  return addrs.every(isLoopback) ? 'loopback' : 'network';
}

/** True when CONFIG answered this poll: so CONFIG is callable under its own name by this user. */
function configCallable(s: Snapshot): boolean {
  return s.capabilities.config && Object.keys(s.config).length > 0;
}

/** Admin commands that have been used (commandstats counts them under their real names). */
const RISKY_COMMANDS = ['flushall', 'flushdb', 'keys', 'debug', 'config|set', 'shutdown'];

function noPassword(ctx: RuleContext): boolean | undefined {
  const pass = conf(ctx.snapshot, 'requirepass');
  return pass === undefined ? undefined : pass === '';
}

export const SECURITY_RULES: Rule[] = [
  {
    id: 'security-no-password',
    area: 'security',
    when: 'requirepass is empty and the server listens on a non-loopback address: critical when protected-mode is also no, else warning.',
    evaluate(ctx) {
      const s = ctx.snapshot;
      if (noPassword(ctx) !== true || exposure(s) !== 'network') return null;
      const protectedMode = conf(s, 'protected-mode');
      return {
        severity: protectedMode === 'no' ? 'critical' : 'warning',
        title: 'No password and the server listens on the network',
        evidence: `requirepass is empty; bind "${conf(s, 'bind')}"; protected-mode ${protectedMode ?? '?'}.${protectedMode === 'no' ? ' Anyone who can reach the port can read, change or delete every key.' : ' Protected mode only rejects non-loopback clients while the default user has no password.'} (ACL users with passwords are not visible here: check ACL LIST.)`,
        advice: 'Set a password (CONFIG SET requirepass <long-random> or ACL SETUSER default on >secret), or bind to private addresses only (bind 127.0.0.1 10.x.x.x in redis.conf), and firewall the port.',
      };
    },
  },
  {
    id: 'security-protected-mode-off',
    area: 'security',
    when: 'protected-mode no while requirepass is empty: warning.',
    evaluate(ctx) {
      const s = ctx.snapshot;
      if (conf(s, 'protected-mode') !== 'no' || noPassword(ctx) !== true) return null;
      return {
        severity: 'warning',
        title: 'Protected mode is off on a server without a password',
        evidence: `protected-mode no; requirepass empty; bind "${conf(s, 'bind') ?? '?'}".`,
        advice: 'CONFIG SET protected-mode yes (then CONFIG REWRITE), unless a password or a loopback-only bind already guards it.',
      };
    },
  },
  {
    id: 'security-debug-command',
    area: 'security',
    when: 'enable-debug-command yes (DEBUG and MODULE callable from any client): warning.',
    evaluate({ snapshot: s }) {
      if (conf(s, 'enable-debug-command') !== 'yes') return null;
      return {
        severity: 'warning',
        title: 'DEBUG is enabled for every client',
        evidence: 'enable-debug-command yes: DEBUG SLEEP, DEBUG SEGFAULT, DEBUG RELOAD and friends can be sent remotely.',
        advice: 'Set enable-debug-command no (or local) in redis.conf and restart; it is not settable at runtime.',
      };
    },
  },
  {
    id: 'security-dangerous-commands',
    area: 'security',
    when: 'CONFIG answered under its own name (not renamed, not denied by ACL): info; warning when the server also has no password and listens on the network.',
    evaluate(ctx) {
      const s = ctx.snapshot;
      if (!configCallable(s)) return null;
      const used = RISKY_COMMANDS.filter((c) => (s.info.commandstats[c]?.calls ?? 0) > 0);
      const open = noPassword(ctx) === true && exposure(s) === 'network';
      return {
        severity: open ? 'warning' : 'info',
        title: 'Admin commands are callable by this client',
        evidence: `CONFIG GET answered for this connection${used.length ? `; commandstats shows calls to ${used.map((c) => c.toUpperCase()).join(', ')}` : ''}${conf(s, 'enable-debug-command') ? `; enable-debug-command ${conf(s, 'enable-debug-command')}` : ''}.`,
        advice: 'Give applications an ACL user without admin rights (ACL SETUSER app on >pw ~* &* +@all -@dangerous), or rename-command CONFIG/FLUSHALL/FLUSHDB/KEYS/DEBUG "" in redis.conf.',
      };
    },
  },
  {
    id: 'security-replica-writable',
    area: 'security',
    when: 'A replica with replica-read-only no: warning (writes to it diverge from the master and are lost on resync).',
    evaluate({ snapshot: s }) {
      if (role(s) !== 'replica') return null;
      const ro = conf(s, 'replica-read-only') ?? conf(s, 'slave-read-only');
      if (ro !== 'no') return null;
      return {
        severity: 'warning',
        title: 'This replica accepts writes',
        evidence: 'role slave; replica-read-only no.',
        advice: 'CONFIG SET replica-read-only yes: writes to a replica are not sent to the master and vanish on the next full sync.',
      };
    },
  },
];
