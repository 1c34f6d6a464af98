// Preloaded into the servers the tests start (node --require): the server exits on its own once
// the test process that started it is gone, even when that process was killed and could not
// clean up, so no Azurite outlives its test run. (process.ppid is read once at start; a signal-0
// probe tells whether that process still exists.)
const parent = process.ppid;
setInterval(() => {
  try {
    process.kill(parent, 0);
  } catch {
    process.exit(0);
  }
}, 1000).unref();
