// The pure access core: roles per site, the decision, route matching and sign-in limits.
import { describe, expect, it } from 'vitest';
import {
  decide,
  matchRule,
  roleOn,
  SignInAttempts,
  sitesWith,
  teamsOn,
  type Principal,
  type RouteRule,
} from '../../ingest/src/core/access/index.js';

const user = (
  grants: {
    site: string;
    role: 'viewer' | 'team_lead' | 'shift_lead' | 'manager' | 'admin';
    teams?: string[];
  }[],
): Principal => ({
  kind: 'user',
  user: 'u',
  display: 'U',
  grants,
  via: 'session',
  session: 's',
  csrf: 'c',
});

describe('roleOn', () => {
  const cases: [string, Principal, string, string | null][] = [
    ['admin token everywhere', { kind: 'admin_token' }, 'x', 'admin'],
    ['admin token global', { kind: 'admin_token' }, '*', 'admin'],
    ['ingest own site', { kind: 'ingest', tokenId: 't', site: 'a' }, 'a', 'ingest'],
    ['ingest other site', { kind: 'ingest', tokenId: 't', site: 'a' }, 'b', null],
    ['kiosk own site', { kind: 'kiosk', tokenId: 't', site: 'a', board: '' }, 'a', 'kiosk'],
    ['viewer own', user([{ site: 'a', role: 'viewer' }]), 'a', 'viewer'],
    ['viewer other', user([{ site: 'a', role: 'viewer' }]), 'b', null],
    [
      'strongest grant wins',
      user([
        { site: 'a', role: 'viewer' },
        { site: 'a', role: 'manager' },
      ]),
      'a',
      'manager',
    ],
    ['star grant', user([{ site: '*', role: 'shift_lead' }]), 'z', 'shift_lead'],
    ['global needs a star admin', user([{ site: '*', role: 'manager' }]), '*', null],
    ['star admin is global', user([{ site: '*', role: 'admin' }]), '*', 'admin'],
  ];
  it.each(cases)('%s', (_n, p, site, want) => {
    const copy = JSON.stringify(p);
    expect(roleOn(p, site)).toBe(want);
    expect(JSON.stringify(p)).toBe(copy);
  });
});

describe('teams and sites', () => {
  it('a team lead acts for their teams, leads above for all, viewers for none', () => {
    expect(
      teamsOn(
        user([
          { site: 'a', role: 'team_lead', teams: ['t1'] },
          { site: 'a', role: 'team_lead', teams: ['t2'] },
        ]),
        'a',
      ),
    ).toEqual(['t1', 't2']);
    expect(teamsOn(user([{ site: 'a', role: 'shift_lead' }]), 'a')).toBe('all');
    expect(teamsOn(user([{ site: 'a', role: 'viewer' }]), 'a')).toEqual([]);
    expect(teamsOn(user([{ site: 'a', role: 'team_lead', teams: ['t1'] }]), 'b')).toEqual([]);
  });
  it('sitesWith keeps to the sites where the caller holds a listed role', () => {
    const p = user([
      { site: 'a', role: 'manager' },
      { site: 'b', role: 'viewer' },
    ]);
    expect(sitesWith(p, ['manager', 'admin'], ['a', 'b', 'c'])).toEqual(['a']);
    expect(sitesWith({ kind: 'admin_token' }, ['manager', 'admin'], ['a'])).toBe('all');
    expect(
      sitesWith({ kind: 'kiosk', tokenId: 't', site: 'a', board: '' }, ['manager'], ['a']),
    ).toEqual([]);
  });
});

describe('decide', () => {
  const rule = (r: Partial<RouteRule>): RouteRule => ({
    method: 'GET',
    path: '/x',
    roles: ['manager', 'admin'],
    site: 'query',
    ...r,
  });
  const cases: [string, RouteRule, Principal | null, string | null, true | 401 | 403][] = [
    ['open route, nobody', rule({ roles: 'open' }), null, null, true],
    ['nobody', rule({}), null, 'a', 401],
    ['right role, own site', rule({}), user([{ site: 'a', role: 'manager' }]), 'a', true],
    ['right role, other site', rule({}), user([{ site: 'a', role: 'manager' }]), 'b', 403],
    ['wrong role', rule({}), user([{ site: 'a', role: 'viewer' }]), 'a', 403],
    [
      'no site named: role anywhere',
      rule({ site: 'query?' }),
      user([{ site: 'a', role: 'manager' }]),
      null,
      true,
    ],
    [
      'no site named: role nowhere',
      rule({ site: 'query?' }),
      user([{ site: 'a', role: 'viewer' }]),
      null,
      403,
    ],
    [
      'global: site admin is not enough',
      rule({ site: 'global', roles: ['admin'] }),
      user([{ site: '*', role: 'manager' }]),
      null,
      403,
    ],
    [
      'global: admin token',
      rule({ site: 'global', roles: ['admin'] }),
      { kind: 'admin_token' },
      null,
      true,
    ],
  ];
  it.each(cases)('%s', (_n, r, p, site, want) => {
    const d = decide(r, p, site);
    expect(d.allow ? true : d.status).toBe(want);
  });
});

describe('matchRule', () => {
  it('finds exact routes with params, falls back to the board files, never for /api or /ws', () => {
    expect(matchRule('PUT', '/api/sites/a%2Fb')?.params).toEqual({ site: 'a/b' });
    expect(matchRule('GET', '/api/sites/x')?.rule.path).toBe('/api/sites/:site');
    expect(matchRule('GET', '/site/demo/history')?.rule.path).toBe('/*');
    expect(matchRule('HEAD', '/assets/app.js')?.rule.path).toBe('/*');
    expect(matchRule('GET', '/api/no-such-route')).toBeNull();
    expect(matchRule('GET', '/ws/other')).toBeNull();
    expect(matchRule('WS', '/ws/board')?.rule.roles).toContain('kiosk');
  });
});

describe('SignInAttempts', () => {
  it('locks an account after 5 failures for the window, and an address after 20', () => {
    const a = new SignInAttempts();
    const t0 = 1_000_000;
    for (let i = 0; i < 4; i++) a.fail('Ann', '1.1.1.1', t0 + i);
    expect(a.blockedFor('ann', '1.1.1.1', t0 + 10)).toBe(0);
    a.fail('ann', '2.2.2.2', t0 + 10);
    expect(a.blockedFor('ann', '3.3.3.3', t0 + 20)).toBe(15 * 60_000 - 20);
    expect(a.blockedFor('ann', '3.3.3.3', t0 + 15 * 60_000 + 10)).toBe(0);
    const b = new SignInAttempts();
    for (let i = 0; i < 20; i++) b.fail(`user${i}`, '9.9.9.9', t0);
    expect(b.blockedFor('fresh', '9.9.9.9', t0 + 1)).toBeGreaterThan(0);
    expect(b.blockedFor('fresh', '8.8.8.8', t0 + 1)).toBe(0);
    b.succeed('user1');
    expect(b.blockedFor('user1', '8.8.8.8', t0 + 1)).toBe(0);
  });
});
