// One shared ticking clock for the whole board: time-in-state cells and the staleness check
// read clock.now, so a single 1 s timer drives every ticking figure on screen.
let now = $state(Date.now());
let timer: ReturnType<typeof setInterval> | null = null;

export const clock = {
  get now(): number {
    if (timer === null && typeof window !== 'undefined')
      timer = setInterval(() => (now = Date.now()), 1000);
    return now;
  },
};
