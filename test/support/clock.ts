/**
 * The calendar moved forward for a test that lives through quarters: only
 * `Date` is faked (timers, ticks and I/O run as usual), so the services'
 * "today in Paris" is the day set; the database's own clock is not moved,
 * and nothing of ours dates a business fact by it.
 */
export function travelTo(isoDate: string): void {
  jest.useFakeTimers({
    // The day set, then time flowing as it does: what is stamped with Date.now() stays distinct.
    advanceTimers: true,
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'requestIdleCallback',
      'cancelIdleCallback',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
    now: new Date(`${isoDate}T10:00:00+01:00`),
  });
}

export function backToToday(): void {
  jest.useRealTimers();
}
