// The TV's alert tone: a new orange or red alert sounds once, red higher and longer than
// orange, so a supervisor across the room knows the level without looking. Muted per screen
// (remembered in localStorage). Browsers start audio only after a user gesture, so the
// first click on the sound switch also unlocks it; a kiosk may allow autoplay outright.
const KEY = 'floorwatch.sound';

/** Tone per level: frequency (Hz) and beeps. */
export const TONES: Record<string, { hz: number; beeps: number }> = {
  orange: { hz: 660, beeps: 2 },
  red: { hz: 880, beeps: 3 },
};

function saved(): boolean {
  try {
    return localStorage.getItem(KEY) !== 'off';
  } catch {
    return true;
  }
}

class AlertSound {
  on = $state(saved());
  /** Tones played on this screen, newest last (shown as data-* for anyone checking the TV). */
  played = $state<string[]>([]);
  private ctx: AudioContext | null = null;

  toggle(): void {
    this.on = !this.on;
    try {
      localStorage.setItem(KEY, this.on ? 'on' : 'off');
    } catch {
      /* this page only */
    }
    if (this.on) void this.context()?.resume();
  }

  private context(): AudioContext | null {
    if (typeof AudioContext === 'undefined') return null;
    this.ctx ??= new AudioContext();
    return this.ctx;
  }

  play(level: string): void {
    const tone = TONES[level];
    if (!tone || !this.on) return;
    const ctx = this.context();
    if (!ctx) return;
    void ctx.resume();
    const t0 = ctx.currentTime + 0.02;
    for (let i = 0; i < tone.beeps; i++) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = tone.hz;
      gain.gain.setValueAtTime(0.0001, t0 + i * 0.3);
      gain.gain.exponentialRampToValueAtTime(0.3, t0 + i * 0.3 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + i * 0.3 + 0.2);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t0 + i * 0.3);
      osc.stop(t0 + i * 0.3 + 0.22);
    }
    this.played = [...this.played.slice(-19), level];
  }
}

export const alertSound = new AlertSound();
