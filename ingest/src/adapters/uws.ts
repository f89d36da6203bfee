// Loads uWebSockets.js and tells whether the native binary loaded. The package silently
// falls back to a slow JavaScript implementation when its binary does not load; that
// fallback exports only App, while the native build exports its C++ helpers too.
import { createRequire } from 'node:module';
import type * as UWS from 'uWebSockets.js';

const require = createRequire(import.meta.url);
export const uWS = require('uWebSockets.js') as typeof UWS;

export type UwsBuild = 'native' | 'fallback';

export const uwsBuild: UwsBuild =
  typeof (uWS as unknown as Record<string, unknown>)['getParts'] === 'function' &&
  typeof (uWS as unknown as Record<string, unknown>)['us_listen_socket_close'] === 'function'
    ? 'native'
    : 'fallback';
