// Boards per audience (issue 22): named layouts saved in the site configuration's `boards`
// section, each a scope (teams and/or queues; none = the whole site) and a chosen set of
// tiles, opened at /site/{site}/board/{name} (or ?layout={name}, where a kiosk link bound to
// a board sends the TV). So a TV can be pointed at "team T03" or "billing queues".

export const BOARD_TILES = [
  'queues',
  'summary',
  'chart',
  'intervals',
  'agents',
  'alerts',
  'teams',
  'quality',
] as const;
export type BoardTile = (typeof BOARD_TILES)[number];

export interface BoardLayout {
  /** Display names of the board. */
  label?: string;
  label_zh?: string;
  /** Only these teams' agents, team figures and alerts (empty or absent: every team). */
  teams?: string[];
  /** Only these queues' tiles, chart and alerts (empty or absent: every queue). */
  queues?: string[];
  /** The tiles shown, in no particular order (absent: all of them). */
  tiles?: BoardTile[];
}

export const BOARD_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const MAX_BOARDS = 200;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function names(v: unknown, path: string, errors: string[], max: number): string[] | undefined {
  if (v === undefined) return undefined;
  if (
    !Array.isArray(v) ||
    v.length > max ||
    v.some((x) => typeof x !== 'string' || x.length < 1 || x.length > 64)
  ) {
    errors.push(`${path} must be a list of at most ${max} names of 1 to 64 characters`);
    return undefined;
  }
  return [...new Set(v as string[])];
}

/** Validates one layout; appends plain-words errors naming the key path. */
export function validateBoardLayout(v: unknown, path: string, errors: string[]): BoardLayout {
  if (!isObj(v)) {
    errors.push(
      `${path} must be an object such as {"teams": ["T03"], "tiles": ["agents", "alerts"]}`,
    );
    return {};
  }
  const known = ['label', 'label_zh', 'teams', 'queues', 'tiles'];
  for (const k of Object.keys(v))
    if (!known.includes(k))
      errors.push(`${path}.${k} is not a known key (known: ${known.join(', ')})`);
  const out: BoardLayout = {};
  for (const k of ['label', 'label_zh'] as const) {
    const x = v[k];
    if (x === undefined) continue;
    if (typeof x !== 'string' || x.length > 64)
      errors.push(`${path}.${k} must be a string of at most 64 characters`);
    else out[k] = x;
  }
  const teams = names(v['teams'], `${path}.teams`, errors, 500);
  if (teams) out.teams = teams;
  const queues = names(v['queues'], `${path}.queues`, errors, 1000);
  if (queues) out.queues = queues;
  const tiles = v['tiles'];
  if (tiles !== undefined) {
    if (
      !Array.isArray(tiles) ||
      tiles.length === 0 ||
      tiles.some((t) => !BOARD_TILES.includes(t as BoardTile))
    )
      errors.push(`${path}.tiles must be a non-empty list of: ${BOARD_TILES.join(', ')}`);
    else out.tiles = [...new Set(tiles as BoardTile[])];
  }
  return out;
}

/** Validates the `boards` section: an object keyed by board name. */
export function validateBoards(
  v: unknown,
  path: string,
  errors: string[],
): Record<string, BoardLayout> {
  if (!isObj(v)) {
    errors.push(
      `${path} must be an object keyed by board name, e.g. {"team-t03": {"teams": ["T03"]}}`,
    );
    return {};
  }
  const entries = Object.entries(v);
  if (entries.length > MAX_BOARDS) errors.push(`${path} may hold at most ${MAX_BOARDS} boards`);
  const out: Record<string, BoardLayout> = {};
  for (const [name, layout] of entries) {
    if (!BOARD_NAME_RE.test(name))
      errors.push(
        `${path}: board name "${name.slice(0, 70)}" must be 1 to 64 letters, digits, "_" or "-"`,
      );
    else out[name] = validateBoardLayout(layout, `${path}.${name}`, errors);
  }
  return out;
}
