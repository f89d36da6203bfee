// Who is looking at the board: GET /api/auth/me once per page load. A person signed in with
// a session, a TV with a kiosk cookie, or nobody (the page then sends them to sign-in).
import { withCsrf } from './api.js';
import type { Me } from './access-view.js';

export * from './access-view.js';

class Session {
  me = $state.raw<Me | null>(null);
  /** false until /api/auth/me answered (or failed). */
  loaded = $state(false);
  /** The server could not be reached: pages keep working and say so rather than send to sign-in. */
  unreachable = $state(false);

  async load(): Promise<Me | null> {
    try {
      const res = await fetch('/api/auth/me', { headers: { Accept: 'application/json' } });
      if (res.status === 401) this.me = null;
      else if (res.ok) {
        const body = (await res.json()) as Me | { kind: 'anonymous' };
        this.me = body.kind === 'anonymous' ? null : body;
      } else this.unreachable = true;
    } catch {
      this.unreachable = true;
    }
    this.loaded = true;
    return this.me;
  }

  /** Whether the credential still holds (a revoked kiosk link or an ended session answers 401). */
  async stillSignedIn(): Promise<boolean | null> {
    try {
      const res = await fetch('/api/auth/me', { headers: { Accept: 'application/json' } });
      if (res.status === 401) return false;
      return res.ok ? true : null;
    } catch {
      return null; // the server is down: say nothing about the credential
    }
  }

  async signOut(): Promise<void> {
    try {
      await fetch('/api/auth/logout', withCsrf({ method: 'POST' }));
    } finally {
      location.href = '/signin';
    }
  }
}

export const session = new Session();
