// The master side of Redis replication (replication.c), so real redis-server replicas can follow
// the engine: PSYNC answers +FULLRESYNC with an RDB of the dataset (made at once: the engine has
// no fork) or +CONTINUE with the missing bytes of the backlog; afterwards every write reaches the
// replicas as the same command stream the AOF gets (propagate.ts), with SELECTs where the database
// changes and a PING every repl-ping-replica-period. Replicas report their offset with REPLCONF
// ACK, which INFO replication (slaveN lines, lag), ROLE, WAIT and min-replicas-to-write read.
// The engine cannot itself be a replica (REPLICAOF stays unknown).

import { readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from './client.js';
import type { Engine } from './engine.js';
import { attachSink, type PropagationSink } from './propagate.js';
import { respCommand } from './persist/aof-base.js';
import { saveSync } from './persist/rdb-file.js';
import { changeReplicationId, infoState } from './stats/info.js';

/** One connected replica, from its PSYNC on. */
export interface Replica {
  client: Client;
  /** REPLCONF listening-port / ip-address (INFO slaveN, ROLE). */
  port: number;
  ip: string;
  /** The offset it last acknowledged, and when (ms). */
  ackOffset: number;
  ackAt: number;
}

/** What REPLCONF told a connection before it became a replica. */
export interface ReplicaHello {
  port: number;
  ip: string;
  psync2: boolean;
}

export class ReplicationMaster {
  /** master_repl_offset: bytes of stream produced since the replication id was made. */
  offset = 0;
  readonly replicas = new Map<Client, Replica>();
  /** What connections said in REPLCONF before PSYNC. */
  readonly hellos = new WeakMap<Client, ReplicaHello>();
  /** Backlog: the last repl-backlog-size bytes of stream, as latin1 chunks; null until the first replica. */
  private backlog: string[] | null = null;
  private backlogBytes = 0;
  /** Offset of the backlog's first byte (repl_backlog_first_byte_offset). */
  firstByte = 0;
  /** The database the stream last SELECTed (-1: the next command must SELECT). */
  private selectedDb = -1;
  stats = { full: 0, partialOk: 0, partialErr: 0 };
  /** Replicas within min-replicas-max-lag (INFO min_slaves_good_slaves). */
  goodReplicas = 0;
  private readonly sink: PropagationSink;
  private lastPing = Date.now();

  constructor(private readonly engine: Engine) {
    this.sink = {
      feed: (dbId, argv) => {
        if (dbId !== this.selectedDb) {
          this.append(respCommand(['SELECT', String(dbId)]));
          this.selectedDb = dbId;
        }
        this.append(respCommand(argv));
      },
      commit: () => {},
    };
    engine.on('disconnect', (c: Client) => this.drop(c));
    engine.on('cron', () => this.cron());
    engine.config.onChange((name) => {
      if (name === 'min-replicas-to-write' || name === 'min-replicas-max-lag') this.refreshGood();
    });
  }

  get backlogActive(): boolean {
    return this.backlog !== null;
  }
  get backlogHistlen(): number {
    return this.backlogBytes;
  }

  get replId(): string {
    return infoState(this.engine).replId;
  }

  /** Appends stream bytes: the offset moves, the backlog keeps them, online replicas get them. */
  private append(text: string): void {
    this.offset += text.length;
    if (this.backlog !== null) {
      this.backlog.push(text);
      this.backlogBytes += text.length;
      this.trimBacklog();
    }
    for (const r of this.replicas.values()) {
      r.client.reply.raw(text);
      r.client.flush();
    }
  }

  private trimBacklog(): void {
    const max = Math.max(16 * 1024, this.engine.config.num['repl-backlog-size'] ?? 1024 * 1024);
    while (this.backlog !== null && this.backlogBytes > max && this.backlog.length > 0) {
      const head = this.backlog[0]!;
      const excess = this.backlogBytes - max;
      if (head.length <= excess) {
        this.backlog.shift();
        this.backlogBytes -= head.length;
        this.firstByte += head.length;
      } else {
        this.backlog[0] = head.slice(excess);
        this.backlogBytes -= excess;
        this.firstByte += excess;
      }
    }
  }

  /**
   * SYNC / PSYNC <replid> <offset>: continues from the backlog when it can, otherwise sends the
   * whole dataset. Writes straight into the client's buffer; the client is a replica afterwards.
   */
  sync(c: Client, replid: string | null, wanted: number | null): void {
    const hello = this.hellos.get(c) ?? { port: 0, ip: '', psync2: false };
    if (replid !== null && wanted !== null && this.backlog !== null && replid === this.replId && wanted >= this.firstByte && wanted <= this.offset + 1) {
      this.stats.partialOk++;
      c.reply.raw(hello.psync2 ? `+CONTINUE ${this.replId}\r\n` : '+CONTINUE\r\n');
      c.reply.raw(this.backlog.join('').slice(wanted - this.firstByte));
      this.adopt(c, hello);
      this.engine.emit('log', 'notice', `Partial resynchronization request from ${c.addr} accepted. Sending ${this.offset + 1 - wanted} bytes of backlog starting from offset ${wanted}.`);
      return;
    }
    if (replid !== null && replid !== '?') this.stats.partialErr++;
    this.stats.full++;
    if (this.backlog === null) {
      // The first replica: a new history starts (Redis's createReplicationBacklog).
      changeReplicationId(this.engine);
      this.backlog = [];
      this.backlogBytes = 0;
      this.firstByte = this.offset + 1;
      attachSink(this.engine, this.sink);
    }
    this.engine.emit('log', 'notice', `Replica ${c.addr} asks for synchronization; starting a full resynchronization from offset ${this.offset}`);
    const rdb = this.snapshot();
    if (replid !== null) c.reply.raw(`+FULLRESYNC ${this.replId} ${this.offset}\r\n`);
    c.reply.raw(`$${rdb.length}\r\n`);
    c.reply.raw(rdb.toString('latin1'));
    this.selectedDb = -1; // the replica loaded the RDB: the next command names its database
    this.adopt(c, hello);
  }

  /** The dataset as an RDB file's bytes, written now (no fork: the engine pauses for it). */
  private snapshot(): Buffer {
    const path = join(this.engine.config.get('dir') || '.', `temp-repl-${process.pid}-${Date.now()}.rdb`);
    saveSync(this.engine, path);
    try {
      return readFileSync(path);
    } finally {
      unlinkSync(path);
    }
  }

  private adopt(c: Client, hello: ReplicaHello): void {
    c.replica = true;
    // Nothing a replica sends is answered (REPLCONF ACK has no reply); its connection carries the stream.
    c.replyMode = 'off';
    this.replicas.set(c, { client: c, port: hello.port, ip: hello.ip || c.addr.slice(0, c.addr.lastIndexOf(':')), ackOffset: 0, ackAt: Date.now() });
    this.refreshGood();
  }

  /** REPLCONF ACK <offset> from a replica. */
  ack(c: Client, offset: number): void {
    const r = this.replicas.get(c);
    if (!r) return;
    if (offset > r.ackOffset) r.ackOffset = offset;
    r.ackAt = Date.now();
    for (const w of [...this.ackWaiters]) if (w()) this.ackWaiters.delete(w);
  }

  /** WAIT's clients: each is asked after every ACK and answers true when it is done waiting. */
  private readonly ackWaiters = new Set<() => boolean>();

  onAck(waiter: () => boolean): void {
    this.ackWaiters.add(waiter);
  }

  /** Asks every replica for an ACK now (WAIT): REPLCONF GETACK * in the stream. */
  requestAcks(): void {
    if (this.replicas.size === 0) return;
    this.append(respCommand(['REPLCONF', 'GETACK', '*']));
  }

  /** Replicas that acknowledged at least `offset`. */
  ackedAtLeast(offset: number): number {
    let n = 0;
    for (const r of this.replicas.values()) if (r.ackOffset >= offset) n++;
    return n;
  }

  private drop(c: Client): void {
    if (!this.replicas.delete(c)) return;
    this.engine.emit('log', 'notice', `Connection with replica ${c.addr} lost.`);
    this.refreshGood();
  }

  /** replicationCron: PING replicas every repl-ping-replica-period; recount the good ones. */
  private cron(): void {
    if (this.replicas.size === 0) return;
    const period = (this.engine.config.num['repl-ping-replica-period'] ?? 10) * 1000;
    if (Date.now() - this.lastPing >= period) {
      this.lastPing = Date.now();
      // Sent in whatever database the stream is in, so no SELECT comes with it.
      this.append(respCommand(['PING']));
    }
    this.refreshGood();
  }

  /** refreshGoodSlavesCount, and whether writes must be refused for lack of good replicas. */
  refreshGood(): void {
    const maxLag = this.engine.config.num['min-replicas-max-lag'] ?? 10;
    const now = Date.now();
    let good = 0;
    for (const r of this.replicas.values()) if (Math.floor((now - r.ackAt) / 1000) <= maxLag) good++;
    this.goodReplicas = good;
    this.engine.refreshWritesNeedReplicas();
  }

  /** INFO's slaveN lines. */
  infoLines(): string[] {
    const now = Date.now();
    return [...this.replicas.values()].map(
      (r, i) => `slave${i}:ip=${r.ip},port=${r.port},state=online,offset=${r.ackOffset},lag=${Math.floor((now - r.ackAt) / 1000)}`,
    );
  }
}

const masters = new WeakMap<Engine, ReplicationMaster>();

export function replicationOf(engine: Engine): ReplicationMaster {
  let m = masters.get(engine);
  if (!m) masters.set(engine, (m = new ReplicationMaster(engine)));
  return m;
}

/** The replication state when one was ever made (INFO reads it without creating it). */
export function replicationIfAny(engine: Engine): ReplicationMaster | undefined {
  return masters.get(engine);
}
