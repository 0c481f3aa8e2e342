// Test preload for galleyd (loaded through NODE_OPTIONS by the test's drop-in only; Node strips
// the types): SIGUSR2 blocks the main event loop for good, as a runaway synchronous loop in the
// app would.
process.on("SIGUSR2", () => {
  for (;;) {
    // spin: no timer, no I/O, no WATCHDOG=1 ping runs again
  }
});
