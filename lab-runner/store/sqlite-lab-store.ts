// LabStore on SQLite (node:sqlite). Synchronous underneath, so every method is a single short critical section;
// multi-step read-then-write operations run in BEGIN IMMEDIATE transactions so they are atomic across processes too.
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import { CapacityError } from '../errors.ts';
import { isAccountClientKey } from '../../lib/learner/client-key.ts';
import { POOL_LEARNER } from '../labels.ts';
import type { LabState, LabTarget, PendingLab, ProvisionProgress, ReadyLab } from '../lab/lab.ts';
import { immediateTransaction, openDatabase } from './database.ts';
import type { ClientClaim, LabCaps, LabListFilter, LabRecord, LabRecordExtras, LabStore } from './lab-store.ts';

/** What a full server answers in Retry-After: slots come free whenever a learner stops or leaves a lab. */
const RETRY_AFTER_SECONDS = 60;

interface Row {
  id: string;
  learner_id: string;
  template: string;
  runtime: string;
  state: LabState;
  owner: string;
  created_at: number;
  expires_at: number;
  last_active_at: number;
  ready_at: number | null;
  paused_at: number | null;
  claimed_at: number | null;
  destroyed_at: number | null;
  network_id: string | null;
  targets: string | null;
  progress: string | null;
  error: string | null;
  reason: string | null;
  client_key: string | null;
}

const LIVE_STATES = `('pending', 'ready', 'paused')`;

function toRecord(r: Row): LabRecord {
  const common = {
    id: r.id,
    learnerId: r.learner_id,
    template: r.template,
    createdAt: new Date(r.created_at),
    expiresAt: new Date(r.expires_at),
    lastActiveAt: new Date(r.last_active_at),
    runtime: r.runtime,
    owner: r.owner,
    ...(r.claimed_at !== null ? { claimedAt: new Date(r.claimed_at) } : {}),
    ...(r.client_key !== null ? { clientKey: r.client_key } : {}),
  };
  const targets = (r.targets ? JSON.parse(r.targets) : []) as LabTarget[];
  switch (r.state) {
    case 'pending':
      return {
        ...common,
        state: 'pending',
        progress: r.progress ? (JSON.parse(r.progress) as ProvisionProgress) : { step: 0, totalSteps: 1, label: 'Queued' },
      };
    case 'ready':
      return { ...common, state: 'ready', networkId: r.network_id ?? '', targets, readyAt: new Date(r.ready_at ?? r.created_at) };
    case 'paused':
      return { ...common, state: 'paused', networkId: r.network_id ?? '', targets, pausedAt: new Date(r.paused_at ?? r.created_at) };
    case 'failed':
      return { ...common, state: 'failed', error: r.error ?? 'unknown error' };
    case 'destroyed':
      return { ...common, state: 'destroyed', destroyedAt: new Date(r.destroyed_at ?? r.created_at), reason: r.reason ?? '' };
  }
}

export class SqliteLabStore implements LabStore {
  readonly storeId: string;
  private readonly db: DatabaseSync;
  private readonly ownsDb: boolean;

  /** Opens (and migrates) DATA_DIR/packetwalk.sqlite, or uses a database opened with openDatabase(). */
  constructor(dataDirOrDb: string | DatabaseSync) {
    this.ownsDb = typeof dataDirOrDb === 'string';
    this.db = typeof dataDirOrDb === 'string' ? openDatabase(dataDirOrDb) : dataDirOrDb;
    this.storeId = (this.db.prepare(`SELECT value FROM store_meta WHERE key = 'store_id'`).get() as { value: string }).value;
  }

  async insertPending(lab: PendingLab, extras: Omit<LabRecordExtras, 'claimedAt'>, caps: LabCaps): Promise<void> {
    immediateTransaction(this.db, () => {
      const total = (this.db.prepare(`SELECT count(*) AS n FROM labs WHERE state IN ${LIVE_STATES}`).get() as { n: number }).n;
      if (total >= caps.maxTotal) {
        throw new CapacityError(`All ${caps.maxTotal} lab slots on this server are in use. ${this.#whenToRetry()}`, 'server', RETRY_AFTER_SECONDS);
      }
      if (lab.learnerId !== POOL_LEARNER) {
        const mine = this.db.prepare(`SELECT id FROM labs WHERE learner_id = ? AND state IN ${LIVE_STATES}`).all(lab.learnerId) as { id: string }[];
        if (mine.length >= caps.maxPerLearner) {
          throw new CapacityError(
            `You already have ${mine.length} running lab${mine.length === 1 ? '' : 's'} (${mine.map((m) => m.id).join(', ')}); the limit is ${caps.maxPerLearner}. ` +
              `Close one ("npm run lab -- destroy <id>" or the lab's Stop button) and try again.`,
            'learner',
          );
        }
        if (extras.clientKey)
          this.#checkClient(extras.clientKey, { maxTotal: caps.maxTotal, maxPerClient: caps.maxPerClient, reservedSlots: caps.reservedSlots });
      }
      this.db
        .prepare(
          `INSERT INTO labs (id, learner_id, template, runtime, state, owner, created_at, expires_at, last_active_at, progress, client_key)
           VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          lab.id,
          lab.learnerId,
          lab.template,
          extras.runtime,
          extras.owner,
          +lab.createdAt,
          +lab.expiresAt,
          +lab.lastActiveAt,
          JSON.stringify(lab.progress),
          extras.clientKey ?? null,
        );
    });
  }

  /**
   * The per-client rules, inside the caller's transaction: a client holds at most maxPerClient labs, and once only
   * reservedSlots slots are left, they go to clients holding none (so one client never takes the last slots).
   */
  #checkClient(clientKey: string, caps: { maxTotal: number; maxPerClient?: number; reservedSlots?: number }): void {
    const held = (
      this.db.prepare(`SELECT count(*) AS n FROM labs WHERE client_key = ? AND learner_id != ? AND state IN ${LIVE_STATES}`).get(clientKey, POOL_LEARNER) as {
        n: number;
      }
    ).n;
    const who = isAccountClientKey(clientKey) ? 'your account' : 'your network address';
    if (caps.maxPerClient !== undefined && held >= caps.maxPerClient) {
      throw new CapacityError(
        isAccountClientKey(clientKey)
          ? `Your account already holds ${held} running lab${held === 1 ? '' : 's'}, the most one account may hold on this server (LAB_MAX_PER_CLIENT=${caps.maxPerClient}). ` +
              `Stop a lab you no longer use, or ask the operator to raise the limit.`
          : `Your network address already holds ${held} running lab${held === 1 ? '' : 's'}, the most one address may hold on this server (LAB_MAX_PER_CLIENT=${caps.maxPerClient}). ` +
              `Stop a lab you no longer use, or ask the operator to raise the limit (behind a proxy, set TRUSTED_PROXY so learners are told apart).`,
        'client',
      );
    }
    const reserved = caps.reservedSlots ?? 0;
    if (reserved > 0 && held > 0) {
      const learners = (this.db.prepare(`SELECT count(*) AS n FROM labs WHERE learner_id != ? AND state IN ${LIVE_STATES}`).get(POOL_LEARNER) as { n: number })
        .n;
      if (caps.maxTotal - learners <= reserved) {
        throw new CapacityError(
          `The server is almost full: its last ${reserved} lab slot${reserved === 1 ? ' is' : 's are'} kept for learners who have no lab yet, ` +
            `and ${who} already holds ${held}. ${this.#whenToRetry()}`,
          'server',
          RETRY_AFTER_SECONDS,
        );
      }
    }
  }

  /** A sentence naming when to ask again: in a minute (labs are stopped all the time), at the latest when one expires. */
  #whenToRetry(): string {
    const row = this.db.prepare(`SELECT min(expires_at) AS t FROM labs WHERE learner_id != ? AND state IN ${LIVE_STATES}`).get(POOL_LEARNER) as {
      t: number | null;
    };
    const latest = row.t === null ? '' : ` At the latest a slot frees at ${new Date(row.t).toISOString().slice(11, 16)} UTC, when the oldest lab expires.`;
    return `Try again in a minute: labs are stopped and expire all the time.${latest} (An operator can raise LAB_MAX_TOTAL.)`;
  }

  async setProgress(id: string, progress: ProvisionProgress): Promise<void> {
    this.db.prepare(`UPDATE labs SET progress = ? WHERE id = ? AND state = 'pending'`).run(JSON.stringify(progress), id);
  }

  async markReady(id: string, v: { networkId: string; targets: LabTarget[]; readyAt: Date }): Promise<ReadyLab | undefined> {
    const changed = this.db
      .prepare(`UPDATE labs SET state = 'ready', network_id = ?, targets = ?, ready_at = ?, progress = NULL WHERE id = ? AND state = 'pending'`)
      .run(v.networkId, JSON.stringify(v.targets), +v.readyAt, id).changes;
    if (!changed) return undefined;
    return (await this.get(id)) as ReadyLab & LabRecordExtras;
  }

  async markPaused(id: string, at: Date): Promise<void> {
    this.db.prepare(`UPDATE labs SET state = 'paused', paused_at = ? WHERE id = ? AND state = 'ready'`).run(+at, id);
  }

  async markResumed(id: string): Promise<void> {
    this.db.prepare(`UPDATE labs SET state = 'ready', paused_at = NULL WHERE id = ? AND state = 'paused'`).run(id);
  }

  async setTargets(id: string, targets: LabTarget[]): Promise<void> {
    this.db.prepare(`UPDATE labs SET targets = ? WHERE id = ? AND state IN ('ready', 'paused')`).run(JSON.stringify(targets), id);
  }

  async markFailed(id: string, error: string): Promise<void> {
    this.db.prepare(`UPDATE labs SET state = 'failed', error = ? WHERE id = ? AND state != 'destroyed'`).run(error, id);
  }

  async markDestroyed(id: string, reason: string, at: Date): Promise<void> {
    this.db
      .prepare(`UPDATE labs SET state = 'destroyed', reason = ?, destroyed_at = ?, progress = NULL WHERE id = ? AND state != 'destroyed'`)
      .run(reason, +at, id);
  }

  async touch(id: string, at: Date): Promise<void> {
    this.db.prepare(`UPDATE labs SET last_active_at = max(last_active_at, ?) WHERE id = ?`).run(+at, id);
  }

  async extendExpiry(id: string, expiresAt: Date): Promise<void> {
    this.db.prepare(`UPDATE labs SET expires_at = max(expires_at, ?) WHERE id = ? AND state IN ('ready', 'paused')`).run(+expiresAt, id);
  }

  async claimPoolLab(
    template: string,
    learnerId: string,
    now: Date,
    expiresAt: Date,
    maxPerLearner: number,
    client?: ClientClaim,
  ): Promise<LabRecord | undefined> {
    const id = immediateTransaction(this.db, () => {
      const mine = (this.db.prepare(`SELECT count(*) AS n FROM labs WHERE learner_id = ? AND state IN ${LIVE_STATES}`).get(learnerId) as { n: number }).n;
      if (mine >= maxPerLearner) {
        throw new CapacityError(
          `You already have ${mine} running lab${mine === 1 ? '' : 's'}; the limit is ${maxPerLearner}. Close one and try again.`,
          'learner',
        );
      }
      if (client) this.#checkClient(client.clientKey, client);
      const row = this.db
        .prepare(`SELECT id FROM labs WHERE learner_id = ? AND template = ? AND state = 'ready' ORDER BY created_at LIMIT 1`)
        .get(POOL_LEARNER, template) as { id: string } | undefined;
      if (!row) return undefined;
      this.db
        .prepare(`UPDATE labs SET learner_id = ?, claimed_at = ?, last_active_at = ?, expires_at = ?, client_key = ? WHERE id = ? AND learner_id = ?`)
        .run(learnerId, +now, +now, +expiresAt, client?.clientKey ?? null, row.id, POOL_LEARNER);
      return row.id;
    });
    return id ? this.get(id) : undefined;
  }

  async get(id: string): Promise<LabRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM labs WHERE id = ?').get(id) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  async list(filter: LabListFilter = {}): Promise<LabRecord[]> {
    const where: string[] = [];
    const params: SQLInputValue[] = [];
    if (filter.learnerId !== undefined) {
      where.push('learner_id = ?');
      params.push(filter.learnerId);
    }
    if (filter.template !== undefined) {
      where.push('template = ?');
      params.push(filter.template);
    }
    if (filter.states?.length) {
      where.push(`state IN (${filter.states.map(() => '?').join(', ')})`);
      params.push(...filter.states);
    } else if (!filter.includeDestroyed) {
      where.push(`state != 'destroyed'`);
    }
    const sql = `SELECT * FROM labs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at`;
    return (this.db.prepare(sql).all(...params) as unknown as Row[]).map(toRecord);
  }

  async listLive(): Promise<LabRecord[]> {
    return (this.db.prepare(`SELECT * FROM labs WHERE state IN ${LIVE_STATES} ORDER BY created_at`).all() as unknown as Row[]).map(toRecord);
  }

  async purgeBefore(date: Date): Promise<number> {
    return Number(this.db.prepare(`DELETE FROM labs WHERE state IN ('destroyed', 'failed') AND coalesce(destroyed_at, created_at) < ?`).run(+date).changes);
  }

  async close(): Promise<void> {
    if (this.ownsDb && this.db.isOpen) this.db.close();
  }
}
