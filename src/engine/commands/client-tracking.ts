// The client-side caching subcommands of CLIENT (networking.c): TRACKING ON|OFF with REDIRECT,
// BCAST, PREFIX, OPTIN, OPTOUT, NOLOOP; CACHING YES|NO; GETREDIR; TRACKINGINFO. Options are
// checked in Redis's order with Redis's words; what tracking then does lives in ../tracking.ts.

import type { Ctx } from '../command.js';
import { E, ReplyError } from '../errors.js';
import { is, parseInteger } from '../args.js';
import { byteOrder, type TrackingOptions } from '../tracking.js';

/** The flag words of TRACKING, each switching one option on. */
const SWITCHES: Record<string, 'bcast' | 'optin' | 'optout' | 'noloop'> = {
  bcast: 'bcast',
  optin: 'optin',
  optout: 'optout',
  noloop: 'noloop',
};

/** CLIENT TRACKING (ON|OFF) [REDIRECT id] [PREFIX p ...] [BCAST] [OPTIN] [OPTOUT] [NOLOOP] */
export function tracking(ctx: Ctx, argv: string[]): void {
  const { engine, client } = ctx;
  const o: TrackingOptions = { redirect: 0, bcast: false, optin: false, optout: false, noloop: false, prefixes: [] };
  for (let j = 3; j < argv.length; j++) {
    const word = argv[j]!.toLowerCase();
    const more = j < argv.length - 1;
    if (word === 'redirect' && more) {
      if (o.redirect !== 0) throw new ReplyError('A client can only redirect to a single other client');
      o.redirect = parseInteger(argv[++j]!);
      // The target must exist now, though it may leave later (then the redirect is "broken").
      if (!engine.clients.has(o.redirect)) throw new ReplyError('The client ID you want redirect to does not exist');
    } else if (word === 'prefix' && more) {
      o.prefixes.push(argv[++j]!);
    } else if (SWITCHES[word] !== undefined) {
      o[SWITCHES[word]] = true;
    } else throw new ReplyError(E.syntax);
  }
  if (is(argv[2], 'off')) {
    engine.tracking.disable(client);
    ctx.reply.ok();
    return;
  }
  if (!is(argv[2], 'on')) throw new ReplyError(E.syntax);
  const now = client.tracking;
  if (!o.bcast && o.prefixes.length > 0) throw new ReplyError('PREFIX option requires BCAST mode to be enabled');
  if (now !== null && now.bcast !== o.bcast) {
    throw new ReplyError("You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.");
  }
  if (o.bcast && (o.optin || o.optout)) throw new ReplyError('OPTIN and OPTOUT are not compatible with BCAST');
  if (o.optin && o.optout) throw new ReplyError("You can't specify both OPTIN mode and OPTOUT mode");
  if (now !== null && ((o.optin && now.optout) || (o.optout && now.optin))) {
    throw new ReplyError("You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.");
  }
  if (o.bcast) {
    const clash = engine.tracking.collision(client, o.prefixes);
    if (clash !== null) throw new ReplyError(clash);
  }
  engine.tracking.enable(client, o);
  ctx.reply.ok();
}

/** CLIENT CACHING YES|NO: opts the next command (or transaction) in (OPTIN) or out (OPTOUT). */
export function caching(ctx: Ctx, argv: string[]): void {
  const t = ctx.client.tracking;
  if (t === null) throw new ReplyError('CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled');
  if (is(argv[2], 'yes')) {
    if (!t.optin) throw new ReplyError('CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.');
  } else if (is(argv[2], 'no')) {
    if (!t.optout) throw new ReplyError('CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.');
  } else throw new ReplyError(E.syntax);
  t.caching = true;
  ctx.reply.ok();
}

/** CLIENT GETREDIR: the redirect target, 0 for none, -1 while tracking is off. */
export function getRedir(ctx: Ctx): void {
  ctx.reply.int(ctx.client.tracking?.redirect ?? -1);
}

/** CLIENT TRACKINGINFO: flags, redirect and prefixes, as a map. */
export function trackingInfo(ctx: Ctx): void {
  const t = ctx.client.tracking;
  const flags = [t === null ? 'off' : 'on'];
  if (t !== null) {
    if (t.bcast) flags.push('bcast');
    if (t.optin) flags.push('optin', ...(t.caching ? ['caching-yes'] : []));
    if (t.optout) flags.push('optout', ...(t.caching ? ['caching-no'] : []));
    if (t.noloop) flags.push('noloop');
    if (t.brokenRedirect) flags.push('broken_redirect');
  }
  const r = ctx.reply;
  r.mapLen(3);
  r.bulk('flags');
  r.setLen(flags.length);
  for (const f of flags) r.bulk(f);
  r.bulk('redirect');
  r.int(t?.redirect ?? -1);
  r.bulk('prefixes');
  const prefixes = [...(t?.prefixes ?? [])].sort(byteOrder);
  r.arrayLen(prefixes.length);
  for (const p of prefixes) r.bulk(p);
}
