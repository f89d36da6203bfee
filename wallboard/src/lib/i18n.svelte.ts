// The chosen language as reactive state, remembered in localStorage. Components call
// i18n.t(key): reading i18n.locale inside t() makes every label re-render on a switch.
import type { Locale } from './format.js';
import {
  initialLocale,
  LOCALE_STORAGE_KEY,
  translate,
  stateLabel,
  reasonLabel,
  type MessageKey,
} from './i18n.js';

function saved(): string | null {
  try {
    return localStorage.getItem(LOCALE_STORAGE_KEY);
  } catch {
    return null; // storage blocked (kiosk profiles): fall back to the browser language
  }
}

let current = $state<Locale>(
  initialLocale(saved(), typeof navigator === 'undefined' ? undefined : navigator.language),
);

export const i18n = {
  get locale(): Locale {
    return current;
  },
  set(locale: Locale): void {
    current = locale;
    document.documentElement.lang = locale;
    try {
      localStorage.setItem(LOCALE_STORAGE_KEY, locale);
    } catch {
      /* not remembered, still switched */
    }
  },
  t(key: MessageKey, params?: Record<string, string | number>): string {
    return translate(current, key, params);
  },
  state(state: string): string {
    return stateLabel(current, state);
  },
  reason(reason: string | null): string {
    return reasonLabel(current, reason);
  },
};
