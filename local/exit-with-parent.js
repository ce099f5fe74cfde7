// Preloaded into every emulator that fleetbench starts in the foreground: when the JVM that
// started it dies without running its shutdown hook (SIGKILL, crash), the emulator is
// re-parented, and this ends it so that no orphan keeps the port.
'use strict'
const parent = process.ppid
setInterval(() => {
  if (process.ppid !== parent) {
    process.exit(0)
  }
}, 500).unref()
