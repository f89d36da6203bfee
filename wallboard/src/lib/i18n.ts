// The board's words in English and 简体中文. The English table fixes the keys; the Chinese
// one must have every key (the type checks it). Terms follow /work/shared/glossary.md.
import type { Locale } from './format.js';
import { en, type MessageKey, type Messages } from './messages-en.js';
import { zh } from './messages-zh.js';

export type { MessageKey, Messages };

export const MESSAGES: Record<Locale, Messages> = { en, 'zh-CN': zh };

export function translate(
  locale: Locale,
  key: MessageKey,
  params?: Record<string, string | number>,
): string {
  const text = MESSAGES[locale][key] ?? en[key];
  return params
    ? text.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m))
    : text;
}

/** A state or not-ready reason label, falling back to the raw code for free-text reasons. */
export function stateLabel(locale: Locale, state: string): string {
  const key = `st_${state}` as MessageKey;
  return key in en ? translate(locale, key) : state;
}

export function reasonLabel(locale: Locale, reason: string | null): string {
  if (!reason) return '';
  const key = `rs_${reason}` as MessageKey;
  return key in en ? translate(locale, key) : reason;
}

export const LOCALE_STORAGE_KEY = 'floorwatch.locale';

/** Saved choice, else the browser's language (zh* → zh-CN), else English. */
export function initialLocale(saved: string | null, navigatorLanguage: string | undefined): Locale {
  if (saved === 'en' || saved === 'zh-CN') return saved;
  return navigatorLanguage?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}
