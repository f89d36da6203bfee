// The board's colour theme: dark (default, a dim floor), light (a bright room) and
// high-contrast (glare, distance, weak eyes). Chosen in the header and remembered on this
// screen; a TV's URL may set it (?theme=light), which wins, so a wall needs no clicks.
export const THEMES = ['dark', 'light', 'contrast'] as const;
export type Theme = (typeof THEMES)[number];

const KEY = 'floorwatch.theme';
const isTheme = (v: unknown): v is Theme => THEMES.includes(v as Theme);

function initial(): Theme {
  const fromUrl = new URLSearchParams(location.search).get('theme');
  if (isTheme(fromUrl)) return fromUrl;
  try {
    const saved = localStorage.getItem(KEY);
    if (isTheme(saved)) return saved;
  } catch {
    /* no storage: the default */
  }
  return 'dark';
}

let current = $state<Theme>(initial());

export const theme = {
  get value(): Theme {
    return current;
  },
  set(t: Theme): void {
    current = t;
    try {
      localStorage.setItem(KEY, t);
    } catch {
      /* this page only */
    }
  },
};
