// Users, machine tokens and sessions: held in memory for the per-request check and written
// through to ClickHouse (migration 0090) on every change, so a restart keeps them. Turns a
// request's credentials into a Principal.
import type { Logger } from 'pino';
import {
  loadSessions,
  loadTokens,
  loadUsers,
  saveSession,
  saveTokens,
  saveUser,
  type SessionRow,
  type TokenRow,
  type UserRow,
} from '../../../../queries/auth.js';
import type { Grant, Principal } from '../../core/access/index.js';
import type { Store } from '../clickhouse/store.js';
import { hashPassword } from './passwords.js';
import { newId, newSecret, sameSecret, sha256 } from './secrets.js';

export type TokenKind = 'ingest' | 'kiosk';
const TOKEN_PREFIX: Record<TokenKind, string> = { ingest: 'fwi_', kiosk: 'fwk_' };

export class IdentityError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
  readonly code = 'identity';
}

export interface IdentityOptions {
  adminToken: string | null;
  /** A session lasts this long after its last use (a shift and a half by default). */
  sessionIdleMs: number;
  log: Logger;
  now(): number;
}

export interface UserView {
  name: string;
  display_name: string;
  grants: Grant[];
  source: string;
  disabled: boolean;
  created_at: string;
  updated_at: string;
}

export interface TokenView {
  id: string;
  kind: TokenKind;
  site: string;
  board: string;
  label: string;
  created_by: string;
  created_at: string;
  revoked_at: string | null;
  last_seen_at: string | null;
}

/** Something that holds a connection open on a credential, told when credentials change. */
export type RevokeListener = () => void;

export const SITE_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
export const USER_RE = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export class Identity {
  private readonly users = new Map<string, UserRow>();
  private readonly tokens = new Map<string, TokenRow>();
  private readonly tokenByHash = new Map<string, TokenRow>();
  private readonly sessions = new Map<string, SessionRow>();
  private readonly listeners = new Set<RevokeListener>();
  /** Tokens whose last_seen_at changed since the last flush. */
  private readonly seen = new Set<string>();
  private lastWrite = 0;
  private timer: NodeJS.Timeout | null = null;

  private constructor(
    private readonly store: Store,
    private readonly opts: IdentityOptions,
  ) {}

  static async open(store: Store, opts: IdentityOptions): Promise<Identity> {
    const id = new Identity(store, opts);
    const now = opts.now();
    for (const u of await loadUsers(store)) if (!u.deleted) id.users.set(u.name, u);
    for (const t of await loadTokens(store)) {
      id.tokens.set(t.id, t);
      if (t.revoked_at === null) id.tokenByHash.set(t.hash, t);
    }
    for (const s of await loadSessions(store, now)) id.sessions.set(s.id_hash, s);
    // Last-seen times are written once a minute, not on every request.
    id.timer = setInterval(
      () =>
        void id
          .flushSeen()
          .catch((e: unknown) =>
            opts.log.warn({ err: e }, 'could not store token last-seen times'),
          ),
      60_000,
    );
    id.timer.unref();
    return id;
  }

  /** updated_at must grow so argMax picks the newest row even for two changes in one ms. */
  private stamp(): number {
    this.lastWrite = Math.max(this.opts.now(), this.lastWrite + 1);
    return this.lastWrite;
  }

  hasUsers(): boolean {
    return this.users.size > 0;
  }

  onRevoke(fn: RevokeListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private revoked(): void {
    for (const fn of this.listeners) fn();
  }

  // ---- who is calling ----------------------------------------------------------------

  /** A bearer token's principal, or null when it is not a valid one. */
  bearer(token: string): Principal | null {
    if (this.opts.adminToken && sameSecret(token, this.opts.adminToken))
      return { kind: 'admin_token' };
    return this.machine(token);
  }

  /** An ingest or kiosk token's principal (a kiosk token may also arrive as its cookie). */
  machine(token: string): Principal | null {
    const t = this.tokenByHash.get(sha256(token));
    if (!t || t.revoked_at !== null) return null;
    const now = this.opts.now();
    // Last seen to the minute is what the admin page needs.
    if (t.last_seen_at === null || now - t.last_seen_at > 60_000) {
      t.last_seen_at = now;
      this.seen.add(t.id);
    }
    if (t.kind === 'ingest') return { kind: 'ingest', tokenId: t.id, site: t.site };
    if (t.kind === 'kiosk') return { kind: 'kiosk', tokenId: t.id, site: t.site, board: t.board };
    return null;
  }

  /** A session cookie's principal, or null when it is unknown, expired or its user is gone. */
  session(sessionId: string): Principal | null {
    const key = sha256(sessionId);
    const s = this.sessions.get(key);
    const now = this.opts.now();
    if (!s) return null;
    if (s.expires_at <= now) {
      this.sessions.delete(key);
      return null;
    }
    const u = this.users.get(s.user);
    if (!u || u.disabled) return null;
    // Sliding expiry, stored at most every 10 minutes per session.
    if (s.expires_at - now < this.opts.sessionIdleMs - 10 * 60_000) {
      s.expires_at = now + this.opts.sessionIdleMs;
      void saveSession(this.store, { ...s, updated_at: this.stamp() }).catch((e: unknown) =>
        this.opts.log.warn({ err: e }, 'could not extend a session'),
      );
    }
    return {
      kind: 'user',
      user: u.name,
      display: u.display_name || u.name,
      grants: JSON.parse(u.grants) as Grant[],
      via: 'session',
      session: key,
      csrf: s.csrf,
    };
  }

  /** Whether a principal's credential still holds (checked again for open sockets). */
  stillValid(p: Principal): boolean {
    switch (p.kind) {
      case 'admin_token':
        return true;
      case 'ingest':
      case 'kiosk': {
        const t = this.tokens.get(p.tokenId);
        return !!t && t.revoked_at === null;
      }
      case 'user': {
        const s = this.sessions.get(p.session);
        const u = this.users.get(p.user);
        return !!s && !!u && !u.disabled && s.expires_at > this.opts.now();
      }
    }
  }

  // ---- sessions ----------------------------------------------------------------------

  /** The stored user for a sign-in (null when unknown or disabled). */
  userForSignIn(name: string): UserRow | null {
    const u = this.users.get(name);
    return u && !u.disabled ? u : null;
  }

  async startSession(
    user: string,
  ): Promise<{ sessionId: string; csrf: string; expiresAt: number }> {
    const sessionId = newSecret('fws_');
    const csrf = newSecret('');
    const now = this.opts.now();
    const row: SessionRow = {
      id_hash: sha256(sessionId),
      user,
      csrf,
      created_at: now,
      expires_at: now + this.opts.sessionIdleMs,
      updated_at: this.stamp(),
    };
    await saveSession(this.store, row);
    this.sessions.set(row.id_hash, row);
    return { sessionId, csrf, expiresAt: row.expires_at };
  }

  async endSession(idHash: string): Promise<void> {
    const s = this.sessions.get(idHash);
    if (!s) return;
    this.sessions.delete(idHash);
    await saveSession(this.store, { ...s, revoked: true, updated_at: this.stamp() });
    this.revoked();
  }

  // ---- users -------------------------------------------------------------------------

  listUsers(): UserView[] {
    return [...this.users.values()]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((u) => this.view(u));
  }

  getUser(name: string): UserView | null {
    const u = this.users.get(name);
    return u ? this.view(u) : null;
  }

  private view(u: UserRow): UserView {
    return {
      name: u.name,
      display_name: u.display_name,
      grants: JSON.parse(u.grants) as Grant[],
      source: u.source,
      disabled: u.disabled,
      created_at: iso(u.created_at) as string,
      updated_at: iso(u.updated_at) as string,
    };
  }

  async createUser(p: {
    name: string;
    display_name?: string;
    password: string | null;
    grants: Grant[];
    source?: string;
  }): Promise<UserView> {
    if (!USER_RE.test(p.name))
      throw new IdentityError(
        400,
        'the user name must be 1 to 64 letters, digits, ".", "_", "@" or "-"',
      );
    if (this.users.has(p.name)) throw new IdentityError(409, `user "${p.name}" already exists`);
    const now = this.stamp();
    const row: UserRow = {
      name: p.name,
      display_name: (p.display_name ?? '').slice(0, 128),
      password_hash: p.password === null ? '' : await hashPassword(p.password),
      grants: JSON.stringify(p.grants),
      source: p.source ?? 'local',
      disabled: false,
      deleted: false,
      created_at: now,
      updated_at: now,
    };
    await saveUser(this.store, row);
    this.users.set(row.name, row);
    return this.view(row);
  }

  async updateUser(
    name: string,
    p: { display_name?: string; password?: string; grants?: Grant[]; disabled?: boolean },
  ): Promise<{ before: UserView; after: UserView }> {
    const u = this.users.get(name);
    if (!u) throw new IdentityError(404, `no user "${name}"`);
    const before = this.view(u);
    const row: UserRow = {
      ...u,
      display_name: p.display_name !== undefined ? p.display_name.slice(0, 128) : u.display_name,
      password_hash: p.password !== undefined ? await hashPassword(p.password) : u.password_hash,
      grants: p.grants !== undefined ? JSON.stringify(p.grants) : u.grants,
      disabled: p.disabled ?? u.disabled,
      updated_at: this.stamp(),
    };
    await saveUser(this.store, row);
    this.users.set(name, row);
    // A changed password, role or a disabled account ends the user's sessions.
    if (p.password !== undefined || p.grants !== undefined || p.disabled)
      await this.endSessionsOf(name);
    return { before, after: this.view(row) };
  }

  async deleteUser(name: string): Promise<UserView> {
    const u = this.users.get(name);
    if (!u) throw new IdentityError(404, `no user "${name}"`);
    await saveUser(this.store, { ...u, deleted: true, updated_at: this.stamp() });
    this.users.delete(name);
    await this.endSessionsOf(name);
    return this.view(u);
  }

  private async endSessionsOf(user: string): Promise<void> {
    for (const [key, s] of this.sessions) if (s.user === user) await this.endSession(key);
    this.revoked();
  }

  // ---- tokens ------------------------------------------------------------------------

  listTokens(): TokenView[] {
    return [...this.tokens.values()]
      .sort((a, b) => b.created_at - a.created_at)
      .map((t) => this.tokenView(t));
  }

  private tokenView(t: TokenRow): TokenView {
    return {
      id: t.id,
      kind: t.kind as TokenKind,
      site: t.site,
      board: t.board,
      label: t.label,
      created_by: t.created_by,
      created_at: iso(t.created_at) as string,
      revoked_at: iso(t.revoked_at),
      last_seen_at: iso(t.last_seen_at),
    };
  }

  /** A new token; its secret is returned here once and only its hash is kept. */
  async createToken(p: {
    kind: TokenKind;
    site: string;
    board?: string;
    label?: string;
    createdBy: string;
  }): Promise<{ token: string; view: TokenView }> {
    if (!SITE_RE.test(p.site))
      throw new IdentityError(400, '"site" must be 1 to 64 letters, digits, "_", "." or "-"');
    const token = newSecret(TOKEN_PREFIX[p.kind]);
    const now = this.stamp();
    const row: TokenRow = {
      id: newId(),
      kind: p.kind,
      site: p.site,
      board: (p.board ?? '').slice(0, 128),
      label: (p.label ?? '').slice(0, 128),
      hash: sha256(token),
      created_by: p.createdBy,
      created_at: now,
      revoked_at: null,
      last_seen_at: null,
      updated_at: now,
    };
    await saveTokens(this.store, [row]);
    this.tokens.set(row.id, row);
    this.tokenByHash.set(row.hash, row);
    return { token, view: this.tokenView(row) };
  }

  async revokeToken(id: string): Promise<TokenView> {
    const t = this.tokens.get(id);
    if (!t) throw new IdentityError(404, `no token "${id}"`);
    if (t.revoked_at !== null) return this.tokenView(t);
    t.revoked_at = this.opts.now();
    t.updated_at = this.stamp();
    this.tokenByHash.delete(t.hash);
    await saveTokens(this.store, [t]);
    this.revoked();
    return this.tokenView(t);
  }

  async flushSeen(): Promise<void> {
    if (this.seen.size === 0) return;
    const rows: TokenRow[] = [];
    for (const id of this.seen) {
      const t = this.tokens.get(id);
      if (t) rows.push({ ...t, updated_at: this.stamp() });
    }
    this.seen.clear();
    await saveTokens(this.store, rows);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flushSeen();
  }
}
