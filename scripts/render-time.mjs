// The time every example is rendered at: make render starts the function with --fixed-time set to it,
// and the golden responses (test/golden) are made at it, so what an example renders (expiry, sleep
// schedules, the time to the next change) never depends on the day it is rendered.
export const RENDER_TIME = '2026-11-21T12:00:00Z';
