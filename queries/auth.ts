// Typed functions for the identity tables (migration 0090): users, machine tokens and
// sign-in sessions, read whole at start-up and written one row per change.
import { chTime, sqlFile } from './sql.js';
import type { Store } from './store.js';

async function rows<T>(
  store: Store,
  name: string,
  params: Record<string, unknown> = {},
): Promise<T[]> {
  const rs = await store.client.query({
    query: sqlFile('auth', name, store.database),
    query_params: params,
    format: 'JSONEachRow',
  });
  return rs.json<T>();
}

const num = (v: string | number | null): number | null => (v === null ? null : Number(v));

export interface UserRow {
  name: string;
  display_name: string;
  password_hash: string;
  /** JSON array of grants. */
  grants: string;
  source: string;
  disabled: boolean;
  deleted: boolean;
  created_at: number;
  updated_at: number;
}

export interface TokenRow {
  id: string;
  kind: string;
  site: string;
  board: string;
  label: string;
  hash: string;
  created_by: string;
  created_at: number;
  revoked_at: number | null;
  last_seen_at: number | null;
  updated_at: number;
}

export interface SessionRow {
  id_hash: string;
  user: string;
  csrf: string;
  created_at: number;
  expires_at: number;
  revoked?: boolean;
  updated_at?: number;
}

type Raw<T> = {
  [K in keyof T]: T[K] extends number | null
    ? string | number | null
    : T[K] extends boolean
      ? number
      : T[K];
};

export async function loadUsers(store: Store): Promise<UserRow[]> {
  const r = await rows<
    Omit<Raw<UserRow>, 'created_at' | 'updated_at'> & { created_ms: string; updated_ms: string }
  >(store, 'users');
  return r.map((x) => ({
    name: x.name,
    display_name: x.display_name,
    password_hash: x.password_hash,
    grants: x.grants,
    source: x.source,
    disabled: Number(x.disabled) === 1,
    deleted: Number(x.deleted) === 1,
    created_at: Number(x.created_ms),
    updated_at: Number(x.updated_ms),
  }));
}

export async function loadTokens(store: Store): Promise<TokenRow[]> {
  const r = await rows<{
    id: string;
    kind: string;
    site: string;
    board: string;
    label: string;
    hash: string;
    created_by: string;
    created_ms: string;
    revoked_ms: string | null;
    last_seen_ms: string | null;
    updated_ms: string;
  }>(store, 'tokens');
  return r.map((x) => ({
    id: x.id,
    kind: x.kind,
    site: x.site,
    board: x.board,
    label: x.label,
    hash: x.hash,
    created_by: x.created_by,
    created_at: Number(x.created_ms),
    revoked_at: num(x.revoked_ms),
    last_seen_at: num(x.last_seen_ms),
    updated_at: Number(x.updated_ms),
  }));
}

export async function loadSessions(store: Store, now: number): Promise<SessionRow[]> {
  const r = await rows<{
    id_hash: string;
    user: string;
    csrf: string;
    created_ms: string;
    expires_ms: string;
  }>(store, 'sessions', { now_ms: now });
  return r.map((x) => ({
    id_hash: x.id_hash,
    user: x.user,
    csrf: x.csrf,
    created_at: Number(x.created_ms),
    expires_at: Number(x.expires_ms),
  }));
}

const line = (o: object): string => JSON.stringify(o);

export async function saveUser(store: Store, u: UserRow): Promise<void> {
  await store.insertNdjson(
    'auth_users',
    Buffer.from(
      line({
        ...u,
        disabled: u.disabled ? 1 : 0,
        deleted: u.deleted ? 1 : 0,
        created_at: chTime(u.created_at),
        updated_at: chTime(u.updated_at),
      }),
    ),
  );
}

export async function saveTokens(store: Store, ts: readonly TokenRow[]): Promise<void> {
  if (ts.length === 0) return;
  const body = ts
    .map((t) =>
      line({
        ...t,
        created_at: chTime(t.created_at),
        revoked_at: t.revoked_at === null ? null : chTime(t.revoked_at),
        last_seen_at: t.last_seen_at === null ? null : chTime(t.last_seen_at),
        updated_at: chTime(t.updated_at),
      }),
    )
    .join('\n');
  await store.insertNdjson('auth_tokens', Buffer.from(body));
}

export async function saveSession(store: Store, s: SessionRow): Promise<void> {
  await store.insertNdjson(
    'auth_sessions',
    Buffer.from(
      line({
        id_hash: s.id_hash,
        user: s.user,
        csrf: s.csrf,
        created_at: chTime(s.created_at),
        expires_at: chTime(s.expires_at),
        revoked: s.revoked ? 1 : 0,
        updated_at: chTime(s.updated_at ?? s.created_at),
      }),
    ),
  );
}
