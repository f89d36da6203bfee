// Standard security headers on every HTTP answer (board pages, API, errors). The board is
// built by Vite into one module script and one stylesheet, so scripts need nothing beyond
// 'self': no inline script can run, whatever text reaches the page. Styles allow inline
// because Svelte's transitions add <style> elements at run time; a style cannot run code.
// WebSockets go back to the page's own origin, which 'self' covers. Nothing may frame the
// board (clickjacking an ack button), and no Referer leaves it: a kiosk link carries its
// token in the URL.

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Permissions-Policy':
    'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), interest-cohort=()',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
});
