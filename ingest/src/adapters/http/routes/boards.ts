// Boards per audience (core/boards/layouts.ts): GET /api/sites/{site}/boards lists the saved
// layouts (anyone who may see the board: viewers and kiosks open them), PUT and DELETE
// /api/sites/{site}/boards/{name} save or remove one (managers, like the rest of the site
// configuration; audited). A layout is kept in the configuration's `boards` section, so it
// is versioned with it and PUT /api/sites/{site} may set them all at once.
import type { AppContext } from '../../../app-context.js';
import { BOARD_NAME_RE, validateBoardLayout } from '../../../core/boards/layouts.js';
import type { SiteRegistry } from '../../../runtime/site-registry.js';
import { HttpError, jsonBody, type Router } from '../router.js';

const SITE_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

function params(p: Record<string, string>): { site: string; name: string } {
  const site = p['site'] ?? '';
  const name = p['name'] ?? '';
  if (!SITE_RE.test(site))
    throw new HttpError(400, 'the site name must be 1 to 64 letters, digits, "_", "." or "-"');
  if (name && !BOARD_NAME_RE.test(name))
    throw new HttpError(400, 'the board name must be 1 to 64 letters, digits, "_" or "-"');
  return { site, name };
}

export function registerBoardRoutes(
  router: Router,
  ctx: Pick<AppContext, 'log'>,
  registry: SiteRegistry,
): void {
  router.add('GET', '/api/sites/:site/boards', (req) => {
    const { site } = params(req.params);
    return { status: 200, body: { site, boards: registry.config(site).boards ?? {} } };
  });

  router.add('PUT', '/api/sites/:site/boards/:name', async (req) => {
    const { site, name } = params(req.params);
    const errors: string[] = [];
    const layout = validateBoardLayout(jsonBody(req), name, errors);
    if (errors.length)
      return {
        status: 400,
        body: { error: `the board has ${errors.length} problem(s)`, errors },
      };
    const cfg = registry.config(site);
    const before = cfg.boards?.[name] ?? null;
    await registry.setConfig(site, { ...cfg, boards: { ...(cfg.boards ?? {}), [name]: layout } });
    ctx.log.info({ site, board: name }, 'board layout saved');
    return {
      status: 200,
      body: { site, name, board: layout },
      audit: [{ site, action: 'board.save', target: name, detail: { before, after: layout } }],
    };
  });

  router.add('DELETE', '/api/sites/:site/boards/:name', async (req) => {
    const { site, name } = params(req.params);
    const cfg = registry.config(site);
    const before = cfg.boards?.[name];
    if (!before) throw new HttpError(404, `site ${site} has no board "${name}"`);
    const boards = { ...cfg.boards };
    delete boards[name];
    await registry.setConfig(site, { ...cfg, boards });
    return {
      status: 200,
      body: { site, name, deleted: true },
      audit: [{ site, action: 'board.delete', target: name, detail: { before } }],
    };
  });
}
