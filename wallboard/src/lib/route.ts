// Path and query routing for the pages (picker, board, history, settings, sign-in, admin),
// plus the TV-mode options (?tv=1&rotate=30).
export type Route =
  | { page: 'picker' }
  | { page: 'board'; site: string; layout?: string }
  | { page: 'history'; site: string }
  | { page: 'settings'; site: string }
  | { page: 'signin' }
  | { page: 'admin'; section: AdminSection }
  | { page: 'not_found' };

export const ADMIN_SECTIONS = ['users', 'tokens', 'audit'] as const;
export type AdminSection = (typeof ADMIN_SECTIONS)[number];

export function parseRoute(pathname: string): Route {
  const parts = pathname
    .split('/')
    .filter(Boolean)
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
  if (parts.length === 0) return { page: 'picker' };
  if (parts.length === 1 && parts[0] === 'signin') return { page: 'signin' };
  if (parts[0] === 'admin' && parts.length === 2) {
    const section = ADMIN_SECTIONS.find((x) => x === parts[1]);
    if (section) return { page: 'admin', section };
  }
  if (parts[0] === 'site' && parts[1]) {
    if (parts.length === 2) return { page: 'board', site: parts[1] };
    // A saved layout (boards per audience): /site/S/board/NAME.
    if (parts.length === 4 && parts[2] === 'board' && parts[3])
      return { page: 'board', site: parts[1], layout: parts[3] };
    if (parts.length === 3 && parts[2] === 'history') return { page: 'history', site: parts[1] };
    if (parts.length === 3 && parts[2] === 'settings') return { page: 'settings', site: parts[1] };
  }
  return { page: 'not_found' };
}

export interface TvOptions {
  tv: boolean;
  /** Seconds per page when rotating, or null for one page; at least 5 s so a page can be read. */
  rotateS: number | null;
}

export function parseTv(search: string): TvOptions {
  const q = new URLSearchParams(search);
  const tv = q.get('tv') === '1' || q.get('tv') === 'true';
  const r = Number(q.get('rotate'));
  return { tv, rotateS: tv && Number.isFinite(r) && r > 0 ? Math.max(5, r) : null };
}

export const boardPath = (site: string): string => `/site/${encodeURIComponent(site)}`;
export const layoutPath = (site: string, name: string): string =>
  `/site/${encodeURIComponent(site)}/board/${encodeURIComponent(name)}`;

/** The layout a kiosk link bound to a board asks for (?layout=NAME), or null. */
export function layoutParam(search: string): string | null {
  return new URLSearchParams(search).get('layout') || null;
}
export const historyPath = (site: string): string => `/site/${encodeURIComponent(site)}/history`;
export const settingsPath = (site: string): string => `/site/${encodeURIComponent(site)}/settings`;
export const adminPath = (section: AdminSection): string => `/admin/${section}`;
