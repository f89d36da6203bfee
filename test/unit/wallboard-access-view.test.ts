// What the board offers each caller: roles per site ('*' grants), a team lead's teams, who
// is offered the acknowledge button, who sees the admin links, and that sign-in only ever
// returns to a path of this site (no open redirect).
import { describe, expect, it } from 'vitest';
import {
  atLeast,
  isAdmin,
  mayAck,
  readsAudit,
  roleOn,
  safeNext,
  signInPath,
  teamsOn,
  type Me,
} from '../../wallboard/src/lib/access-view.js';

const user = (grants: Extract<Me, { kind: 'user' }>['grants']): Me => ({
  kind: 'user',
  user: 'u',
  display_name: 'U',
  grants,
});

describe('board access view', () => {
  const lead = user([{ site: 'sh', role: 'team_lead', teams: ['T1'] }]);
  const shift = user([{ site: 'sh', role: 'shift_lead' }]);
  const viewer = user([{ site: 'sh', role: 'viewer' }]);
  const admin = user([{ site: '*', role: 'admin' }]);
  const mgrAll = user([{ site: '*', role: 'manager' }]);
  const kiosk: Me = { kind: 'kiosk', token_id: 'k', site: 'sh', board: '' };

  it('reads the role on a site, counting grants on every site', () => {
    expect(roleOn(lead, 'sh')).toBe('team_lead');
    expect(roleOn(lead, 'bj')).toBeNull();
    expect(roleOn(mgrAll, 'bj')).toBe('manager');
    expect(roleOn(kiosk, 'sh')).toBe('kiosk');
    expect(roleOn(kiosk, 'bj')).toBeNull();
    expect(roleOn(null, 'sh')).toBeNull();
    expect(atLeast(shift, 'sh', 'team_lead')).toBe(true);
    expect(atLeast(viewer, 'sh', 'team_lead')).toBe(false);
    expect(atLeast(admin, 'anywhere', 'manager')).toBe(true);
  });

  it("offers the acknowledge button to leads, a team lead on their own team's alerts only", () => {
    expect(mayAck(shift, 'sh', null)).toBe(true);
    expect(mayAck(shift, 'sh', 'T9')).toBe(true);
    expect(mayAck(lead, 'sh', 'T1')).toBe(true);
    expect(mayAck(lead, 'sh', 'T2')).toBe(false);
    expect(mayAck(lead, 'sh', null)).toBe(false);
    expect(mayAck(viewer, 'sh', 'T1')).toBe(false);
    expect(mayAck(kiosk, 'sh', 'T1')).toBe(false);
    expect(mayAck(shift, 'bj', null)).toBe(false);
    expect(teamsOn(lead, 'sh')).toEqual(['T1']);
    expect(teamsOn(admin, 'sh')).toBe('all');
  });

  it('shows users and tokens to admins, the audit log to managers and admins', () => {
    expect(isAdmin(admin)).toBe(true);
    expect(isAdmin(mgrAll)).toBe(false);
    expect(isAdmin({ kind: 'admin_token', user: 'admin-token', grants: [] })).toBe(true);
    expect(readsAudit(mgrAll)).toBe(true);
    expect(readsAudit(user([{ site: 'sh', role: 'manager' }]))).toBe(true);
    expect(readsAudit(shift)).toBe(false);
    expect(readsAudit(kiosk)).toBe(false);
  });

  it('returns after sign-in only to a path on this site', () => {
    expect(safeNext('/site/sh?tv=1')).toBe('/site/sh?tv=1');
    for (const bad of [null, '', 'https://evil.example/', '//evil.example/x', '/\\evil.example'])
      expect(safeNext(bad)).toBe('/');
    expect(signInPath('/site/sh/history')).toBe('/signin?next=%2Fsite%2Fsh%2Fhistory');
    expect(signInPath('/')).toBe('/signin');
    expect(signInPath('/signin?next=x')).toBe('/signin');
  });
});
