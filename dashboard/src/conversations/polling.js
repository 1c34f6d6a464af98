// Asking the API again and again while the tab is visible: the chats change while the team looks at them.
import { useEffect, useRef } from 'preact/hooks';

/**
 * Calls `ask` every `ms` milliseconds while the page is visible, one call at a time; stops when the tab is hidden
 * or the component unmounts, and asks at once when the tab is shown again. After a failure (a 429 among them)
 * it waits ten times longer, so a refusal is not asked again every few seconds.
 */
export function usePolling(ask, ms, deps = []) {
  const latest = useRef(ask);
  latest.current = ask;
  useEffect(() => {
    let timer = null;
    let stopped = false;
    let running = false;
    const schedule = wait => {
      clearTimeout(timer);
      if (!stopped && !running && document.visibilityState === 'visible') timer = setTimeout(run, wait);
    };
    async function run() {
      running = true;
      let ok = true;
      try { await latest.current(); } catch { ok = false; }
      running = false;
      schedule(ok ? ms : ms * 10);
    }
    const visibility = () => document.visibilityState === 'visible' ? schedule(0) : clearTimeout(timer);
    document.addEventListener('visibilitychange', visibility);
    schedule(ms);
    return () => { stopped = true; clearTimeout(timer); document.removeEventListener('visibilitychange', visibility); };
  }, deps);
}
