// The root font size in px, tracked across resizes: TV mode scales type with the viewport
// (1.25vw), so chart margins measured in px must scale with it or tick labels get clipped
// (seen at 4K: "100%" cut to "0%").
let px = $state(16);

function read(): void {
  px = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
}

// Read at import, not lazily inside a $derived (writing state there is not allowed); the
// .tv class lands after the first render, so read again once frames have run.
if (typeof window !== 'undefined') {
  read();
  addEventListener('resize', read);
  requestAnimationFrame(() => requestAnimationFrame(read));
  setTimeout(read, 500);
}

export const rootFont = {
  get px(): number {
    return px;
  },
};
