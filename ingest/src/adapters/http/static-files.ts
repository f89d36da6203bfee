// Serves the built wallboard (wallboard/dist) from memory, with the SPA fallback: any
// path that is not a file gets index.html, so /site/{site} loads the board.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ApiResponse } from './router.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const BUILDING_TEXT =
  'The wallboard is being built (npm start, npm run serve and npm run demo build it when missing or stale); reload in a few seconds, or run `npm run build`.';

/**
 * The page a browser gets while the first build runs (a few seconds): it reloads itself, so a
 * TV or a newcomer opening the board at once lands on the board without touching anything.
 */
const BUILDING_PAGE = `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="2"><title>Floorwatch</title></head><body style="font-family:sans-serif;background:#0f1419;color:#e6e6e6"><p>${BUILDING_TEXT}</p><p>看板正在构建，几秒后自动刷新。</p></body></html>`;

interface File {
  body: Buffer;
  gz: Buffer | null;
  type: string;
  immutable: boolean;
}

export class StaticFiles {
  private readonly files = new Map<string, File>();
  private lastLook = 0;
  private indexMtime = -1;

  constructor(private readonly dir: string) {
    this.look();
  }

  /**
   * npm start may still be building the board when the server starts, and a rebuild may
   * replace it while it runs: look at index.html again at most once a second, and reload
   * everything when it changed.
   */
  private look(): void {
    const now = Date.now();
    if (now - this.lastLook < 1000) return;
    this.lastLook = now;
    const index = path.join(this.dir, 'index.html');
    const mtime = existsSync(index) ? statSync(index).mtimeMs : 0;
    if (mtime === this.indexMtime) return;
    this.indexMtime = mtime;
    this.files.clear();
    if (mtime) this.load(this.dir, '');
  }

  private load(dir: string, prefix: string): void {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) {
        this.load(full, `${prefix}/${name}`);
        continue;
      }
      const body = readFileSync(full);
      const type = TYPES[path.extname(name)] ?? 'application/octet-stream';
      // Compress text once at start-up, not per request: every kiosk loads the board's bundle.
      const gz =
        /^(text|application\/json|image\/svg)/.test(type) && body.length > 1024
          ? gzipSync(body)
          : null;
      // Vite puts content hashes in asset names, so those can be cached forever.
      this.files.set(`${prefix}/${name}`, {
        body,
        gz,
        type,
        immutable: prefix.startsWith('/assets'),
      });
    }
  }

  /** A file written after start-up (a rebuild): load it if it is inside the folder. */
  private lateFile(urlPath: string): File | undefined {
    const full = path.resolve(this.dir, '.' + path.posix.normalize(urlPath));
    if (
      !full.startsWith(path.resolve(this.dir) + path.sep) ||
      !existsSync(full) ||
      statSync(full).isDirectory()
    )
      return undefined;
    this.load(
      path.dirname(full),
      path.posix.dirname(path.posix.normalize(urlPath)).replace(/\/$/, ''),
    );
    return this.files.get(path.posix.normalize(urlPath));
  }

  get built(): boolean {
    return this.files.has('/index.html');
  }

  serve(urlPath: string, acceptEncoding: string): ApiResponse {
    this.look();
    const file =
      this.files.get(urlPath) ??
      (path.extname(urlPath) ? this.lateFile(urlPath) : this.files.get('/index.html'));
    if (!file) {
      return this.built
        ? { status: 404, body: { error: `no file ${urlPath}` } }
        : path.extname(urlPath)
          ? { status: 503, body: BUILDING_TEXT, headers: { 'Retry-After': '2' } }
          : {
              status: 503,
              body: BUILDING_PAGE,
              headers: {
                'Retry-After': '2',
                'Content-Type': 'text/html; charset=utf-8',
                'Cache-Control': 'no-store',
              },
            };
    }
    const headers: Record<string, string> = {
      'Content-Type': file.type,
      'Cache-Control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    };
    if (file.gz && /\bgzip\b/.test(acceptEncoding)) {
      headers['Content-Encoding'] = 'gzip';
      return { status: 200, body: file.gz, headers };
    }
    return { status: 200, body: file.body, headers };
  }
}
