// A Svelte action for TV tiles that must show everything in a fixed box: it shrinks the
// node's type (in 10% steps, down to `min` of its size) until its content no longer
// overflows, and grows it back when room appears. A wall cannot scroll, and cutting a label
// or a team off is worse than smaller type.
export function fitContent(node: HTMLElement, min = 0.5): { destroy(): void } {
  let busy = false;
  const fit = (): void => {
    if (busy) return;
    busy = true;
    node.style.fontSize = '';
    let scale = 1;
    while (
      (node.scrollHeight > node.clientHeight + 1 || node.scrollWidth > node.clientWidth + 1) &&
      scale * 0.9 >= min
    ) {
      scale *= 0.9;
      node.style.fontSize = `${scale.toFixed(3)}em`;
    }
    busy = false;
  };
  const resize = new ResizeObserver(fit);
  resize.observe(node);
  // New rows (a team signs in, an alert is raised) change what must fit; text updates of a
  // figure's value rarely do, so only the structure is watched.
  const mutate = new MutationObserver(fit);
  mutate.observe(node, { childList: true, subtree: true });
  fit();
  return {
    destroy() {
      resize.disconnect();
      mutate.disconnect();
    },
  };
}
