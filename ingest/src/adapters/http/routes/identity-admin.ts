// Admin pages' API: users with their roles per site (GET/POST /api/users, PUT/DELETE
// /api/users/{name}) and machine tokens (GET/POST /api/tokens, DELETE /api/tokens/{id}).
// A token's secret, and a generated password, are in the reply once and stored only hashed.
import { parseGrants } from '../../auth/grants.js';
import { IdentityError, type Identity, type TokenKind } from '../../auth/identity.js';
import { passwordProblem } from '../../auth/passwords.js';
import { newSecret } from '../../auth/secrets.js';
import { diffJson } from '../../../core/audit/diff.js';
import { HttpError, jsonBody, type ApiRequest, type Handler, type Router } from '../router.js';

type Obj = Record<string, unknown>;

function objectBody(req: ApiRequest): Obj {
  const b = jsonBody(req);
  if (typeof b !== 'object' || b === null || Array.isArray(b))
    throw new HttpError(400, 'the body must be a JSON object');
  return b as Obj;
}

/** Identity errors become HTTP errors with their status. */
const wrap =
  (h: Handler): Handler =>
  async (req) => {
    try {
      return await h(req);
    } catch (e) {
      if (e instanceof IdentityError) throw new HttpError(e.status, e.message);
      throw e;
    }
  };

function optString(b: Obj, key: string, max: number): string | undefined {
  const v = b[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.length > max)
    throw new HttpError(400, `"${key}" must be a string of at most ${max} characters`);
  return v;
}

export function registerIdentityAdminRoutes(router: Router, identity: Identity): void {
  router.add('GET', '/api/users', () => ({
    status: 200,
    body: { users: identity.listUsers() },
    headers: { 'Cache-Control': 'no-store' },
  }));

  router.add(
    'POST',
    '/api/users',
    wrap(async (req) => {
      const b = objectBody(req);
      const name = optString(b, 'name', 64);
      if (!name) throw new HttpError(400, '"name" is required');
      let password = b['password'];
      let generated = false;
      if (password === undefined) {
        // 20 base64url characters: 120 random bits.
        password = newSecret('').slice(0, 20);
        generated = true;
      }
      const problem = passwordProblem(password);
      if (problem) throw new HttpError(400, problem);
      const grants = parseGrants(b['grants'] ?? []);
      const user = await identity.createUser({
        name,
        display_name: optString(b, 'display_name', 128),
        password: password as string,
        grants,
      });
      return {
        status: 201,
        body: {
          user,
          ...(generated ? { password, password_note: 'shown once; give it to the user' } : {}),
        },
        headers: { 'Cache-Control': 'no-store' },
        audit: [
          {
            site: '',
            action: 'user.create',
            target: user.name,
            detail: { display_name: user.display_name, grants: user.grants },
          },
        ],
      };
    }),
  );

  router.add(
    'PUT',
    '/api/users/:name',
    wrap(async (req) => {
      const b = objectBody(req);
      const password = b['password'];
      if (password !== undefined) {
        const problem = passwordProblem(password);
        if (problem) throw new HttpError(400, problem);
      }
      const disabled = b['disabled'];
      if (disabled !== undefined && typeof disabled !== 'boolean')
        throw new HttpError(400, '"disabled" must be true or false');
      const { before, after } = await identity.updateUser(req.params['name'] ?? '', {
        display_name: optString(b, 'display_name', 128),
        password: password as string | undefined,
        grants: b['grants'] !== undefined ? parseGrants(b['grants']) : undefined,
        disabled,
      });
      const detail = {
        changes: diffJson(
          { display_name: before.display_name, grants: before.grants, disabled: before.disabled },
          { display_name: after.display_name, grants: after.grants, disabled: after.disabled },
        ),
        password_changed: password !== undefined,
      };
      return {
        status: 200,
        body: { user: after },
        audit: [{ site: '', action: 'user.update', target: after.name, detail }],
      };
    }),
  );

  router.add(
    'DELETE',
    '/api/users/:name',
    wrap(async (req) => {
      const name = req.params['name'] ?? '';
      if (req.access?.principal?.kind === 'user' && req.access.principal.user === name)
        throw new HttpError(409, 'you cannot delete your own account; ask another admin');
      const gone = await identity.deleteUser(name);
      return {
        status: 200,
        body: { deleted: gone.name },
        audit: [
          { site: '', action: 'user.delete', target: gone.name, detail: { grants: gone.grants } },
        ],
      };
    }),
  );

  router.add('GET', '/api/tokens', () => ({
    status: 200,
    body: { tokens: identity.listTokens() },
    headers: { 'Cache-Control': 'no-store' },
  }));

  router.add(
    'POST',
    '/api/tokens',
    wrap(async (req) => {
      const b = objectBody(req);
      const kind = b['kind'];
      if (kind !== 'ingest' && kind !== 'kiosk')
        throw new HttpError(
          400,
          '"kind" must be "ingest" (a producer or adapter) or "kiosk" (a TV)',
        );
      const site = optString(b, 'site', 64);
      if (!site) throw new HttpError(400, '"site" is required');
      const { token, view } = await identity.createToken({
        kind: kind as TokenKind,
        site,
        board: optString(b, 'board', 128),
        label: optString(b, 'label', 128),
        createdBy: req.access?.identity ?? 'unknown',
      });
      return {
        status: 201,
        body: {
          ...view,
          token,
          ...(kind === 'kiosk' ? { link: `/kiosk/${token}` } : {}),
          token_note: 'shown once; only its hash is kept',
        },
        headers: { 'Cache-Control': 'no-store' },
        audit: [
          {
            site: view.site,
            action: 'token.create',
            target: view.id,
            detail: { kind: view.kind, label: view.label, board: view.board },
          },
        ],
      };
    }),
  );

  router.add(
    'DELETE',
    '/api/tokens/:id',
    wrap(async (req) => {
      const t = await identity.revokeToken(req.params['id'] ?? '');
      return {
        status: 200,
        body: { token: t },
        audit: [
          {
            site: t.site,
            action: 'token.revoke',
            target: t.id,
            detail: { kind: t.kind, label: t.label, last_seen_at: t.last_seen_at },
          },
        ],
      };
    }),
  );
}
