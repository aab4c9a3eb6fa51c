// Runs a function once the page has painted its current frame: the store reads the second part of
// the stored view then (issue 13), so that reading it never delays the first card. A page that is
// not painting (a hidden side panel) gets it after 100 ms at the latest.
export function afterPaint(fn: () => void): void {
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    fn();
  };
  const timer = setTimeout(run, 100);
  requestAnimationFrame(() =>
    setTimeout(() => {
      clearTimeout(timer);
      run();
    }, 0),
  );
}
