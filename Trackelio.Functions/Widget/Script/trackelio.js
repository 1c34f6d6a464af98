/*! Trackelio widget v1 · no dependencies · <script src=".../widget/v1/trackelio.js" data-project-key="pk_live_..." async></script> */
(() => {
  'use strict';
  if (window.Trackelio && !Array.isArray(window.Trackelio)) return; // loaded twice: the first copy stays in charge (an array is a page's queue)

  const script = document.currentScript;
  // Preview mode (data-preview, in a frame): the dashboard's widget preview page. The config comes from the framing
  // page of the same origin by postMessage (startPreview), never from the API; nothing is sent anywhere.
  const PREVIEW = !!script && script.hasAttribute('data-preview') && window.parent !== window;
  const KEY = script && (PREVIEW ? 'pk_preview' : script.getAttribute('data-project-key'));
  if (!KEY) return;
  const API = script.src.replace(/\/widget\/v1\/trackelio\.js(?:[?#].*)?$/, '');
  const VERSION = '1.0.0';
  const nativeFetch = window.fetch.bind(window);
  const own = { warn: console.warn.bind(console), error: console.error.bind(console) };

  // ---------- small helpers ----------
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const randomId = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  const cut = (text, max) => (text.length > max ? text.slice(0, max - 1) + '…' : text);
  const now = () => new Date().toISOString();
  const saved = (area) => ({
    get(name) { try { return JSON.parse(window[area].getItem('trackelio:' + KEY.slice(-12) + ':' + name)); } catch { return null; } },
    set(name, value) { try { window[area].setItem('trackelio:' + KEY.slice(-12) + ':' + name, JSON.stringify(value)); } catch { /* storage blocked */ } },
    remove(name) { try { window[area].removeItem('trackelio:' + KEY.slice(-12) + ':' + name); } catch { /* storage blocked */ } },
  });
  const local = saved('localStorage');
  const session = saved('sessionStorage');
  const sessionToken = session.get('session') || randomId();
  session.set('session', sessionToken);

  // ---------- console and network capture: bounded ring buffers, started at once ----------
  const captured = { console: [], network: [] };
  const remember = (list, max, entry) => { list.push(entry); if (list.length > max) list.shift(); };
  const describe = (value) => {
    if (typeof value === 'string') return value;
    if (value instanceof Error) return value.stack || value.name + ': ' + value.message;
    try { return JSON.stringify(value); } catch { return String(value); }
  };
  for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
    const original = console[level];
    if (typeof original !== 'function') continue;
    console[level] = function (...args) {
      remember(captured.console, 100, { level, message: cut(args.map(describe).join(' '), 2000), timestamp: now() });
      return original.apply(this, args);
    };
  }
  window.addEventListener('error', (e) => remember(captured.console, 100,
    { level: 'error', message: cut(`${e.message} (${e.filename || 'page'}:${e.lineno || 0})`, 2000), timestamp: now() }));
  window.addEventListener('unhandledrejection', (e) => remember(captured.console, 100,
    { level: 'error', message: cut('Unhandled rejection: ' + describe(e.reason), 2000), timestamp: now() }));

  const noteRequest = (method, url, status, started) => {
    if (String(url).startsWith(API)) return; // the widget's own calls are not the page's traffic
    remember(captured.network, 50, { method: String(method || 'GET').toUpperCase(), url: cut(String(url), 2000), status, duration_ms: Math.round(performance.now() - started), timestamp: now() });
  };
  // Capture never changes what the page's own calls do: it only watches them.
  const absolute = (url) => { try { return new URL(String(url), location.href).href; } catch { return String(url); } };
  window.fetch = function (input, init) {
    const started = performance.now();
    const method = (init && init.method) || (input instanceof Request ? input.method : 'GET');
    const url = input instanceof Request ? input.url : absolute(input);
    const pending = nativeFetch(input, init);
    pending.then((r) => noteRequest(method, url, r.status, started), () => noteRequest(method, url, 0, started));
    return pending;
  };
  const xhrs = new WeakMap();
  const xhrOpen = XMLHttpRequest.prototype.open;
  const xhrSend = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    xhrs.set(this, { method, url: absolute(url) });
    return xhrOpen.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.send = function (...args) {
    const info = xhrs.get(this);
    if (info) {
      const started = performance.now();
      this.addEventListener('loadend', () => noteRequest(info.method, info.url, this.status, started), { once: true });
    }
    return xhrSend.apply(this, args);
  };

  // ---------- the API: retries with backoff that honour Retry-After ----------
  class ApiError extends Error {
    constructor(status, code, message, details) { super(message); this.status = status; this.code = code; this.details = details || []; }
  }
  const RETRYABLE = [408, 425, 429, 500, 502, 503, 504];
  const retryAfter = (response) => {
    const value = response.headers.get('Retry-After');
    if (!value) return null;
    const seconds = Number(value);
    return Number.isFinite(seconds) ? seconds * 1000 : Math.max(0, Date.parse(value) - Date.now()) || null;
  };
  const backoff = (attempt) => Math.min(8000, 400 * 2 ** (attempt - 1)) * (0.75 + Math.random() / 2);
  const readError = async (response) => {
    try {
      const error = (await response.json()).meta.error;
      return new ApiError(response.status, error.code, error.message, error.details);
    } catch {
      return new ApiError(response.status, 'http_' + response.status, 'HTTP ' + response.status);
    }
  };

  /** One user action = one call: every retry sends the same body and the same idempotency headers. */
  async function api(method, path, { query = {}, body, headers = {}, attempts = 4, onRetry, timeout = 30000 } = {}) {
    if (PREVIEW) throw new ApiError(0, 'preview', 'This is a preview: nothing is sent.');
    const url = new URL(API + path);
    const sent = { ...headers };
    if (method === 'GET') url.searchParams.set('key', KEY); // a CORS simple request: no preflight
    else sent['X-Project-Key'] = KEY;
    for (const [name, value] of Object.entries(query)) if (value != null && value !== '') url.searchParams.set(name, value);
    let payload = body;
    if (body && !(body instanceof Blob)) { payload = JSON.stringify(body); sent['Content-Type'] = 'application/json'; }
    for (let attempt = 1; ; attempt++) {
      let wait;
      try {
        const response = await nativeFetch(url, { method, headers: sent, body: payload, credentials: 'omit', mode: 'cors', signal: AbortSignal.timeout(timeout) });
        if (response.ok) return response.status === 204 ? null : response.json();
        const error = await readError(response);
        wait = retryAfter(response) ?? backoff(attempt);
        if (!RETRYABLE.includes(response.status) || attempt >= attempts || wait > 30000) throw error;
      } catch (e) {
        if (e instanceof ApiError) throw e;
        if (attempt >= attempts) throw new ApiError(0, 'network_error', String(e && e.message));
        wait = backoff(attempt);
      }
      if (onRetry) onRetry(attempt);
      await sleep(wait);
    }
  }

  /** A failed fetch is a CORS refusal when the same URL answers an opaque (no-cors) request. */
  const serverReachable = () => nativeFetch(`${API}/v1/widget/config?key=${encodeURIComponent(KEY)}`, { mode: 'no-cors', credentials: 'omit' }).then(() => true, () => false);

  // ---------- texts: the config's languages with fallback ----------
  const DEFAULT_TEXTS = {
    launcher: 'Feedback', title: 'Send us feedback', home_title: 'Hi there!', home_subtitle: 'How can we help?',
    feedback_tile: 'Report a problem or idea', feedback_tile_hint: 'Tell us what happened — add a screenshot',
    chat_tile: 'Chat with us', chat_tile_hint: 'We usually reply in a few minutes',
    survey_tile: 'Quick survey', survey_tile_hint: 'A few questions, under a minute',
    news_tile: "What's new", news_tile_hint: 'Updates from the team',
    nps_tile: 'Rate your experience', nps_tile_hint: 'One question, two seconds',
    type_label: 'What kind of feedback?', title_label: 'Summary', title_placeholder: 'A short summary',
    description_label: 'Details', description_placeholder: 'What happened? What did you expect?',
    email_label: 'Your e-mail', email_hint: 'optional — so we can follow up', email_placeholder: 'you@example.com',
    screenshot_label: 'Screenshot', screenshot_capturing: 'Capturing the page…', screenshot_failed: "We couldn't capture this page. You can attach an image instead.",
    screenshot_remove: 'Remove', screenshot_choose: 'Attach an image', screenshot_retake: 'Capture page',
    attached_logs: 'Technical details (console, page address, browser) are attached to help us fix it.',
    submit: 'Send', sending: 'Sending…', retrying: 'Connection trouble — retrying…',
    thanks: 'Thank you! We read every message.', thanks_title: 'Got it!', done: 'Done', back: 'Back', close: 'Close',
    required_title_or_description: 'Please describe what happened.',
    nps_question: 'How likely are you to recommend us to a friend or colleague?', nps_low: 'Not likely', nps_high: 'Very likely',
    csat_question: 'How satisfied are you with your experience?', comment_label: 'Anything you would like to add?', comment_placeholder: 'Optional',
    already_answered: "You've already answered — thank you!",
    survey_submit: 'Submit answers', survey_required: 'Please answer this question.', optional: 'optional',
    news_title: "What's new", news_empty: 'Nothing new right now.', read_more: 'Learn more', dismiss: 'Dismiss',
    chat_title: 'Chat with us', chat_welcome: 'Ask us anything — the team will reply right here.', chat_placeholder: 'Write a message…',
    chat_send: 'Send message', chat_end: 'End chat', chat_ended: 'This conversation has ended.', chat_new: 'Start a new conversation',
    chat_you: 'You', chat_team: 'Team', chat_sending: 'Sending…', chat_failed: 'Not sent — tap to retry',
    error_generic: 'Something went wrong. Please try again.', error_network: "We couldn't reach the server. Check your connection and try again.",
    error_paused: 'Feedback is paused right now. Please try again later.', error_disabled: 'This is not available right now.',
    error_rate_limited: 'Too many requests — please wait a moment and try again.',
    refused_title: 'Feedback is not available here',
    refused_body: 'This site ({origin}) is not among the allowed origins of this widget, so it cannot send anything. The site owner can add it in the widget settings.',
    powered: 'Powered by Trackelio', unread: '{count} new',
  };
  let config = null;
  let language = 'en';
  const pickLanguage = () => {
    const available = (config.languages && config.languages.available) || [];
    const wanted = [document.documentElement.lang, ...(navigator.languages || [navigator.language])].filter(Boolean);
    for (const code of wanted) {
      const exact = available.find((a) => a.toLowerCase() === code.toLowerCase());
      if (exact) return exact;
      const base = available.find((a) => a.toLowerCase() === code.split('-')[0].toLowerCase());
      if (base) return base;
    }
    return (config.languages && config.languages.default) || 'en';
  };
  const t = (key, vars = {}) => {
    const texts = (config && config.texts) || {};
    const chain = [language, language.split('-')[0], config && config.languages && config.languages.default, 'en'];
    let text = DEFAULT_TEXTS[key] || key;
    for (const code of chain) if (code && texts[code] && typeof texts[code][key] === 'string') { text = texts[code][key]; break; }
    return text.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : ''));
  };

  // ---------- DOM: elements built with text nodes only, listeners never inline ----------
  function h(tag, props, ...children) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(props || {})) {
      if (value == null || value === false) continue;
      if (name === 'class') el.className = value;
      else if (name === 'text') el.textContent = value;
      else if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
      else if (name === 'value' || name === 'checked' || name === 'disabled' || name === 'hidden') el[name] = value;
      else el.setAttribute(name, value === true ? '' : value);
    }
    for (const child of children.flat()) if (child != null && child !== false) el.append(child instanceof Node ? child : String(child));
    return el;
  }
  const ICONS = {
    chat: 'M4 5h16v11H8l-4 4V5z', bug: 'M12 6a4 4 0 0 1 4 4v5a4 4 0 0 1-8 0v-5a4 4 0 0 1 4-4zM9 4l1.5 2M15 4l-1.5 2M4 12h4M16 12h4M5 18l3-2M19 18l-3-2M5 7l3 2M19 7l-3 2',
    close: 'M6 6l12 12M18 6L6 18', back: 'M15 5l-7 7 7 7', spark: 'M12 3v4M12 17v4M3 12h4M17 12h4M6 6l2.5 2.5M15.5 15.5L18 18M6 18l2.5-2.5M15.5 8.5L18 6',
    survey: 'M5 4h14v16H5zM8 9h8M8 13h8M8 17h5', star: 'M12 3l2.7 5.6 6.1.9-4.4 4.3 1 6.1L12 17l-5.4 2.9 1-6.1L3.2 9.5l6.1-.9z',
    send: 'M4 12l16-8-6 16-2.5-6.5z', image: 'M4 5h16v14H4zM4 15l5-5 4 4 3-3 4 4M15 9h.01', check: 'M5 12l5 5 9-10', block: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM5.6 5.6l12.8 12.8',
    megaphone: 'M4 10v4h3l7 4V6l-7 4zM17 9a4 4 0 0 1 0 6', chevron: 'M9 5l7 7-7 7', camera: 'M4 8h4l2-2h4l2 2h4v11H4zM12 11a3 3 0 1 0 0 6 3 3 0 0 0 0-6z',
  };
  const icon = (name) => {
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('class', 'icon');
    const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
    path.setAttribute('d', ICONS[name]);
    svg.append(path);
    return svg;
  };

  const CSS = `
:host{all:initial;--p:#4f46e5;--on-p:#fff;--bg:var(--light-bg,#fff);--fg:var(--light-fg,#111827);--muted:#6b7280;--line:#e5e7eb;--soft:#f3f4f6;--danger:#b91c1c;--ok:#047857;--shadow:0 20px 50px -12px rgba(17,24,39,.35),0 4px 12px rgba(17,24,39,.08);
  font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);-webkit-font-smoothing:antialiased}
:host([hidden]){display:none!important}
:host(.dark){--bg:#111827;--fg:#f3f4f6;--muted:#9ca3af;--line:#374151;--soft:#1f2937;--danger:#fca5a5;--ok:#6ee7b7}
@media (prefers-color-scheme:dark){:host(.auto){--bg:#111827;--fg:#f3f4f6;--muted:#9ca3af;--line:#374151;--soft:#1f2937;--danger:#fca5a5;--ok:#6ee7b7}}
*{box-sizing:border-box}
[hidden]{display:none!important}
.icon{width:20px;height:20px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round;flex:none}
button,input,textarea,select{font:inherit;color:inherit}
button{cursor:pointer}
:focus-visible{outline:3px solid color-mix(in srgb,var(--p) 55%,transparent);outline-offset:2px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.launcher{position:fixed;bottom:20px;z-index:2147483000;display:flex;align-items:center;gap:8px;height:52px;padding:0 20px 0 16px;border:0;border-radius:26px;background:var(--p);color:var(--on-p);font-weight:600;font-size:15px;box-shadow:var(--shadow);transition:transform .18s ease,box-shadow .18s ease}
.launcher:hover{transform:translateY(-2px)}
.launcher .badge{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;padding:0 6px;border-radius:10px;background:#ef4444;color:#fff;font-size:12px;line-height:20px;text-align:center;border:2px solid var(--bg)}
.right{right:20px}.left{left:20px}
.panel{position:fixed;bottom:86px;z-index:2147483001;width:380px;max-width:calc(100vw - 24px);max-height:min(660px,calc(100vh - 110px));display:flex;flex-direction:column;background:var(--bg);color:var(--fg);border-radius:18px;box-shadow:var(--shadow);overflow:hidden;border:1px solid var(--line);
  transform-origin:bottom right;animation:pop .2s ease-out}
.panel.left{transform-origin:bottom left}
.panel.center{left:50%;right:auto;bottom:50%;translate:-50% 50%}
.panel.inline{position:relative;bottom:auto;left:auto;right:auto;width:100%;max-width:440px;max-height:none;box-shadow:0 1px 3px rgba(0,0,0,.1);animation:none}
@keyframes pop{from{opacity:0;transform:translateY(12px) scale(.97)}to{opacity:1;transform:none}}
header{display:flex;align-items:center;gap:10px;padding:18px 18px 16px;background:linear-gradient(135deg,var(--p),color-mix(in srgb,var(--p) 70%,#000));color:var(--on-p)}
header h2{margin:0;font-size:18px;line-height:1.3;font-weight:700;flex:1}
header p{margin:2px 0 0;opacity:.85;font-size:13.5px}
header .titles{flex:1;min-width:0}
.iconbtn{display:inline-grid;place-items:center;width:32px;height:32px;border:0;border-radius:8px;background:transparent;color:inherit;flex:none}
.iconbtn:hover{background:rgba(255,255,255,.18)}
.body{flex:1;overflow:auto;padding:16px 18px 18px;display:flex;flex-direction:column;gap:14px}
.tiles{display:flex;flex-direction:column;gap:10px}
.tile{display:flex;align-items:center;gap:12px;width:100%;padding:14px;border:1px solid var(--line);border-radius:14px;background:var(--bg);text-align:left;transition:border-color .15s,background .15s}
.tile:hover{border-color:var(--p);background:var(--soft)}
.tile .glyph{display:grid;place-items:center;width:40px;height:40px;border-radius:12px;background:color-mix(in srgb,var(--p) 12%,transparent);color:var(--p);flex:none}
.tile strong{display:block;font-size:14.5px}
.tile small{display:block;color:var(--muted);font-size:12.5px;margin-top:1px}
.tile .text{flex:1;min-width:0}
.tile .dot{background:#ef4444;color:#fff;border-radius:10px;font-size:11.5px;padding:1px 7px;font-weight:600}
.field{display:flex;flex-direction:column;gap:6px}
.field label,.legend{font-weight:600;font-size:13px}
.field .hint{font-weight:400;color:var(--muted)}
input[type=text],input[type=email],textarea{width:100%;padding:10px 12px;border:1px solid var(--line);border-radius:10px;background:var(--bg);transition:border-color .15s,box-shadow .15s}
input[type=text]:focus,input[type=email]:focus,textarea:focus{outline:0;border-color:var(--p);box-shadow:0 0 0 3px color-mix(in srgb,var(--p) 20%,transparent)}
textarea{min-height:96px;resize:vertical}
.chips{display:flex;flex-wrap:wrap;gap:8px}
.chip{position:relative}
.chip input{position:absolute;opacity:0;inset:0;margin:0;cursor:pointer}
.chip span{display:inline-block;padding:7px 14px;border:1px solid var(--line);border-radius:999px;font-weight:500;font-size:13.5px}
.chip input:checked+span{background:var(--p);border-color:var(--p);color:var(--on-p)}
.chip input:focus-visible+span{outline:3px solid color-mix(in srgb,var(--p) 55%,transparent);outline-offset:2px}
.shot{display:flex;gap:12px;align-items:center;padding:10px;border:1px dashed var(--line);border-radius:12px}
.shot img{width:96px;height:60px;object-fit:cover;object-position:top;border-radius:6px;border:1px solid var(--line);background:var(--soft)}
.shot .actions{display:flex;flex-wrap:wrap;gap:6px;flex:1}
.shot .status{color:var(--muted);font-size:12.5px;flex-basis:100%}
.link{border:0;background:none;padding:4px 6px;border-radius:6px;color:var(--p);font-weight:600;font-size:13px;display:inline-flex;align-items:center;gap:4px}
.link:hover{background:var(--soft)}
.link .icon{width:16px;height:16px}
.note{color:var(--muted);font-size:12px;margin:0}
.primary{display:inline-flex;justify-content:center;align-items:center;gap:8px;width:100%;padding:12px 16px;border:0;border-radius:12px;background:var(--p);color:var(--on-p);font-weight:600;font-size:15px;transition:filter .15s}
.primary:hover{filter:brightness(1.08)}
.primary:disabled{opacity:.6;cursor:progress}
.error{color:var(--danger);font-size:13px;margin:0}
.status{min-height:0}
.done{display:flex;flex-direction:column;align-items:center;text-align:center;gap:10px;padding:36px 8px}
.done .glyph{display:grid;place-items:center;width:56px;height:56px;border-radius:50%;background:color-mix(in srgb,var(--ok) 15%,transparent);color:var(--ok)}
.done .glyph .icon{width:28px;height:28px}
.done.refused .glyph{background:color-mix(in srgb,var(--danger) 12%,transparent);color:var(--danger)}
.done h3{margin:4px 0 0;font-size:18px}
.done p{margin:0;color:var(--muted)}
.scale{display:flex;gap:4px}
.scale.stars{gap:6px}
.scale button{flex:1;min-width:0;height:38px;border:1px solid var(--line);border-radius:8px;background:var(--bg);font-weight:600;padding:0}
.scale.stars button{flex:1;height:44px;display:grid;place-items:center;color:var(--muted)}
.scale button[aria-checked=true]{background:var(--p);border-color:var(--p);color:var(--on-p)}
.scale.stars button.lit{color:#f59e0b}
.scale.stars button.lit .icon{fill:currentColor}
.scale.stars button[aria-checked=true]{background:var(--bg);border-color:var(--p)}
.ends{display:flex;justify-content:space-between;color:var(--muted);font-size:12px}
.question{font-weight:600;font-size:15px;margin:0}
fieldset{border:0;margin:0;padding:0;display:flex;flex-direction:column;gap:8px}
legend{padding:0;margin-bottom:8px}
.option{display:flex;align-items:center;gap:10px;padding:10px 12px;border:1px solid var(--line);border-radius:10px;cursor:pointer}
.option:has(input:checked){border-color:var(--p);background:color-mix(in srgb,var(--p) 8%,transparent)}
.option input{accent-color:var(--p);margin:0}
.news{display:flex;flex-direction:column;gap:12px}
.card{border:1px solid var(--line);border-radius:14px;padding:14px}
.card h3{margin:0 0 6px;font-size:15px}
.card .md p{margin:0 0 6px}
.card .md ul{margin:0 0 6px;padding-left:20px}
.card .md code{background:var(--soft);padding:1px 5px;border-radius:4px;font-size:12.5px}
.card .md a,.card a.more{color:var(--p);font-weight:600}
.card img{width:100%;border-radius:10px;margin-bottom:8px}
.empty{color:var(--muted);text-align:center;padding:24px 0}
.banner{position:fixed;top:0;left:0;right:0;z-index:2147483002;display:flex;align-items:center;gap:12px;padding:10px 16px;background:var(--p);color:var(--on-p);box-shadow:0 2px 10px rgba(0,0,0,.15);animation:drop .25s ease-out}
.banner .text{flex:1;min-width:0}
.banner .md,.banner .md p{display:inline;margin:0}
.banner a{color:inherit;font-weight:700}
.banner strong.title{margin-right:8px}
@keyframes drop{from{transform:translateY(-100%)}to{transform:none}}
.toast{position:fixed;bottom:86px;z-index:2147483000;width:330px;max-width:calc(100vw - 24px);background:var(--bg);color:var(--fg);border:1px solid var(--line);border-radius:14px;box-shadow:var(--shadow);padding:14px 14px 12px;animation:pop .2s ease-out}
.toast .top{display:flex;gap:8px;align-items:flex-start}
.toast h3{margin:0;font-size:14.5px;flex:1}
.toast .md p{margin:4px 0 0}
.toast .md ul{margin:4px 0;padding-left:20px}
.toast a{color:var(--p);font-weight:600}
.toast .iconbtn:hover,.card .iconbtn:hover{background:var(--soft)}
.chat{display:flex;flex-direction:column;flex:1;min-height:0;height:min(500px,calc(100vh - 200px))}
.messages{flex:1;overflow:auto;padding:16px 18px;display:flex;flex-direction:column;gap:8px}
.msg{max-width:80%;padding:9px 13px;border-radius:16px;white-space:pre-wrap;overflow-wrap:anywhere}
.msg.visitor{align-self:flex-end;background:var(--p);color:var(--on-p);border-bottom-right-radius:4px}
.msg.team{align-self:flex-start;background:var(--soft);border-bottom-left-radius:4px}
.msg .who{display:block;font-size:11.5px;font-weight:600;color:var(--muted);margin-bottom:2px}
.msg.pending{opacity:.65}
.msg.failed{outline:2px solid var(--danger)}
.msg.system{align-self:center;background:none;color:var(--muted);font-size:12.5px;padding:2px}
.welcome{align-self:center;text-align:center;color:var(--muted);padding:18px 10px}
.chatbar{display:flex;justify-content:flex-end;padding:2px 12px}
.composer{display:flex;gap:8px;align-items:flex-end;padding:12px 14px;border-top:1px solid var(--line)}
.composer textarea{min-height:42px;max-height:120px;height:42px;resize:none;border-radius:12px}
.composer .send{display:grid;place-items:center;width:42px;height:42px;border:0;border-radius:12px;background:var(--p);color:var(--on-p);flex:none}
.composer .send:disabled{opacity:.5}
footer{padding:8px 18px 10px;text-align:center;color:var(--muted);font-size:11.5px;border-top:1px solid var(--line)}
.spin{width:18px;height:18px;border-radius:50%;border:2px solid currentColor;border-right-color:transparent;animation:spin .8s linear infinite}
@keyframes spin{to{transform:rotate(360deg)}}
@media (max-width:480px){.panel:not(.inline){inset:0;width:100%;max-width:none;height:100%;max-height:none;border-radius:0}.panel .chat{height:auto}}
@media (prefers-reduced-motion:reduce){*,:host *{animation:none!important;transition:none!important}}
`;

  // ---------- the widget ----------
  const host = document.createElement('div');
  host.id = 'trackelio-widget';
  const root = host.attachShadow({ mode: 'open' });
  const adopt = () => {
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet]; // CSSOM: not subject to the page's style-src
    } catch {
      root.append(h('style', { text: CSS }));
    }
  };
  adopt();

  const ui = { launcher: null, badge: null, panel: null, view: 'home', live: null };
  const state = { survey: null, announcements: [], unread: 0, user: {}, custom: {}, promptShown: false };
  const side = () => (config && config.theme && config.theme.position === 'bottom-left' ? 'left' : 'right');
  const inline = () => config && config.theme && config.theme.position === 'inline';
  const modules = () => (config && config.modules) || {};
  const announce = (text) => { if (ui.live) { ui.live.textContent = ''; setTimeout(() => { ui.live.textContent = text; }, 30); } };

  function applyTheme() {
    const theme = config.theme || {};
    const colour = (value, fallback) => (/^#[0-9a-f]{3,8}$/i.test(value || '') ? value : fallback);
    const primary = colour(theme.primary_color, '#4f46e5');
    host.style.setProperty('--p', primary); // CSSOM, not a style attribute
    const rgb = primary.length >= 7 ? [1, 3, 5].map((i) => parseInt(primary.slice(i, i + 2), 16)) : [1, 2, 3].map((i) => parseInt(primary[i] + primary[i], 16));
    const luminance = (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) / 255;
    host.style.setProperty('--on-p', luminance > 0.6 ? '#111827' : '#ffffff');
    const mode = ['light', 'dark', 'auto'].includes(theme.mode) ? theme.mode : 'auto';
    // The configured colours are the light palette; dark mode (or auto on a dark system) has its own.
    host.style.setProperty('--light-bg', colour(theme.background_color, '#ffffff'));
    host.style.setProperty('--light-fg', colour(theme.text_color, '#111827'));
    host.classList.remove('light', 'dark', 'auto');
    host.classList.add(mode);
  }

  function mountLauncher(label, onClick) {
    ui.badge = h('span', { class: 'badge', hidden: true, 'aria-hidden': 'true' });
    ui.launcher = h('button', {
      type: 'button', class: 'launcher ' + side(), 'aria-haspopup': 'dialog', 'aria-expanded': 'false', 'aria-controls': 'trackelio-panel',
      part: 'launcher', onclick: onClick,
    }, icon('chat'), h('span', { text: label }), ui.badge);
    ui.live = h('div', { class: 'sr', role: 'status', 'aria-live': 'polite' });
    root.append(ui.launcher, ui.live);
  }

  function setUnread(count) {
    state.unread = count;
    if (!ui.badge) return;
    ui.badge.hidden = count === 0;
    ui.badge.textContent = String(count);
    ui.launcher.setAttribute('aria-label', count ? `${t('launcher')} (${t('unread', { count })})` : t('launcher'));
  }

  // ---------- the panel: a dialog with a focus trap ----------
  const FOCUSABLE = 'button:not([disabled]),[href],input:not([disabled]),textarea:not([disabled]),select:not([disabled]),[tabindex]:not([tabindex="-1"])';
  function open(view = 'home', options, focus = true) {
    if (!ui.panel) {
      ui.panel = h('div', { id: 'trackelio-panel', class: 'panel ' + (inline() ? 'inline' : side()), role: 'dialog', 'aria-modal': inline() || PREVIEW ? 'false' : 'true', 'aria-labelledby': 'tk-title', onkeydown: trapKeys });
      (inline() ? inlineRoot() : root).append(ui.panel);
      if (ui.launcher) ui.launcher.setAttribute('aria-expanded', 'true');
    }
    show(view, options, focus);
  }
  function close() {
    if (!ui.panel || inline()) return;
    stopChatView();
    ui.panel.remove();
    ui.panel = null;
    if (ui.launcher) { ui.launcher.setAttribute('aria-expanded', 'false'); ui.launcher.focus(); }
    if (config && config.targeting) retarget(); // left open on a page it is not for: it hides now
  }
  function trapKeys(e) {
    if (inline() || PREVIEW) return; // an inline panel is part of the page, a preview part of the dashboard: keyboard users pass through
    if (e.key === 'Escape') { e.stopPropagation(); close(); return; }
    if (e.key !== 'Tab') return;
    const items = [...ui.panel.querySelectorAll(FOCUSABLE)].filter((el) => el.offsetParent !== null || el === root.activeElement);
    if (!items.length) return;
    const first = items[0]; const last = items[items.length - 1];
    const active = root.activeElement;
    if (e.shiftKey && (active === first || !ui.panel.contains(active))) { e.preventDefault(); last.focus(); }
    else if (!e.shiftKey && (active === last || !ui.panel.contains(active))) { e.preventDefault(); first.focus(); }
  }
  let inlineContainer = null;
  function inlineRoot() {
    if (!inlineContainer) { inlineContainer = h('div', { class: 'inline-root' }); root.append(inlineContainer); }
    return inlineContainer;
  }

  function frame(title, subtitle, body, { back = true, footer = true } = {}) {
    const header = h('header', null,
      back ? h('button', { type: 'button', class: 'iconbtn', 'aria-label': t('back'), onclick: () => show('home') }, icon('back')) : null,
      h('div', { class: 'titles' }, h('h2', { id: 'tk-title', text: title, tabindex: '-1' }), subtitle ? h('p', { text: subtitle }) : null),
      inline() ? null : h('button', { type: 'button', class: 'iconbtn', 'aria-label': t('close'), onclick: close }, icon('close')));
    ui.panel.replaceChildren(...[header, body, footer && h('footer', { text: t('powered') })].filter(Boolean));
  }

  const VIEWS = {};
  function show(view, options, focus = true) {
    if (ui.view === 'chat' && view !== 'chat') stopChatView();
    ui.view = view;
    VIEWS[view](options || {});
    const target = ui.panel.querySelector('[autofocus]') || ui.panel.querySelector('#tk-title');
    if (target && focus && !PREVIEW) target.focus(); // a preview never takes the focus from the dashboard that frames it
  }

  const doneView = (heading, text) => frame(heading, null, h('div', { class: 'body' },
    h('div', { class: 'done', role: 'status' }, h('div', { class: 'glyph' }, icon('check')), h('h3', { text: t('thanks_title') }), h('p', { text })),
    h('button', { type: 'button', class: 'primary', text: t('done'), autofocus: true, onclick: () => (inline() ? show('home') : close()) })));

  const errorText = (e) => ({
    network_error: t('error_network'), widget_paused: t('error_paused'), module_disabled: t('error_disabled'), rate_limited: t('error_rate_limited'),
    origin_not_allowed: t('refused_body', { origin: location.origin }),
  }[e.code] || (e.status === 400 && e.details.length ? e.details.map((d) => `${d.field}: ${d.issue}`).join('\n') : e.message || t('error_generic')));

  /** A button that runs one user action: disabled while it runs, with progress and retry notices. */
  async function runAction(button, status, action) {
    const label = button.textContent;
    button.disabled = true;
    button.replaceChildren(h('span', { class: 'spin', 'aria-hidden': 'true' }), t('sending'));
    status.textContent = '';
    try {
      await action(() => { status.textContent = t('retrying'); });
    } catch (e) {
      status.textContent = errorText(e);
      status.className = 'error';
      announce(status.textContent);
      button.disabled = false;
      button.textContent = label;
    }
  }

  const page = () => {
    const result = { path: location.pathname, title: cut(document.title || '', 500) };
    if (/^https?:$/.test(location.protocol)) result.url = location.href;
    if (/^https?:\/\//.test(document.referrer)) result.referrer = document.referrer;
    return result;
  };
  const submitter = (email) => {
    const result = { ...state.user };
    if (email) result.email = email;
    return Object.keys(result).length ? result : undefined;
  };
  const targetingQuery = () => ({ path: location.pathname, url: /^https?:$/.test(location.protocol) ? location.href : null, lang: language,
    referrer: /^https?:\/\//.test(document.referrer) ? document.referrer : null, user_id: state.user.user_id, email: state.user.email, ...state.custom });
  /** identify()'s `custom` ({ plan: 'pro' } → custom.plan=pro): strings, numbers, booleans; at most 20, names distinct ignoring case (as the server's query), 1,500 characters of query in all. */
  function customAttributes(custom) {
    const out = {};
    let room = 1500;
    if (custom != null && Object.prototype.toString.call(custom) !== '[object Object]') own.warn('Trackelio: identify() custom must be a plain object');
    else for (const [name, value] of Object.entries(custom || {})) {
      const key = 'custom.' + name;
      const text = typeof value === 'string' ? value : (typeof value === 'number' && isFinite(value)) || typeof value === 'boolean' ? String(value) : '';
      let size = Infinity;
      try { size = encodeURIComponent(key + text) && new URLSearchParams([[key, text]]).toString().length + 1; } catch { /* a lone surrogate is not text */ }
      const taken = Object.keys(out).some((k) => k.toUpperCase() === key.toUpperCase());
      if (Object.keys(out).length < 20 && name && key.length <= 64 && text && text.length <= 200 && size <= room && !taken) { out[key] = text; room -= size; }
      else own.warn(`Trackelio: identify() custom value "${name}" left out (at most 20 distinct names of up to 57 characters, values of 1–200, 1,500 in all)`);
    }
    return out;
  }

  // ---------- targeting: the widget's own rules (config.targeting), read as the server's TargetingEngine reads them ----------
  // A rule is a condition { attribute, operator, value } or a group { all: [...] } / { any: [...] }; comparisons ignore
  // case (each UTF-16 unit folded to its lower case, kept when that is longer, as İ: as the server folds); an attribute the
  // page does not have matches only not_equals; `matches` is a glob (* any run, ? one character), matched in linear
  // time without a regular expression. TargetingEquivalenceTests runs this section against the server's.
  function fold(text) {
    let folded = '';
    for (let i = 0; i < text.length; i++) {
      const lower = text[i].toLowerCase();
      folded += lower.length === 1 ? lower : text[i];
    }
    return folded;
  }
  function globMatches(text, pattern) {
    let t = 0; let p = 0; let star = -1; let mark = 0;
    while (t < text.length) {
      if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) { t++; p++; }
      else if (p < pattern.length && pattern[p] === '*') { star = p++; mark = t; }
      else if (star >= 0) { p = star + 1; t = ++mark; }
      else return false;
    }
    while (p < pattern.length && pattern[p] === '*') p++;
    return p === pattern.length;
  }
  function targeted(rule, context) {
    if (!rule) return true;
    if (rule.all) return rule.all.every((r) => targeted(r, context));
    if (rule.any) return rule.any.some((r) => targeted(r, context));
    const actual = context[rule.attribute || ''];
    if (actual == null) return rule.operator === 'not_equals';
    const [a, e] = [fold(actual), fold(rule.value || '')];
    switch (rule.operator) {
      case 'equals': return a === e;
      case 'not_equals': return a !== e;
      case 'contains': return a.includes(e);
      case 'starts_with': return a.startsWith(e);
      case 'ends_with': return a.endsWith(e);
      case 'matches': return globMatches(a, e);
      default: return false;
    }
  }
  /** What this page and visitor tell targeting (the attributes the server reads; empty and over-long values left out). */
  function targetingContext() {
    const context = {};
    for (const [name, value] of Object.entries(targetingQuery())) if (typeof value === 'string' && value.length > 0 && value.length <= 2048) context[name] = value;
    return context;
  }
  // ---------- end of targeting ----------

  // ---------- home ----------
  VIEWS.home = () => {
    const m = modules();
    const tile = (name, title, hint, view, dot) => h('button', { type: 'button', class: 'tile', onclick: () => show(view) },
      h('span', { class: 'glyph' }, icon(name)), h('span', { class: 'text' }, h('strong', { text: title }), h('small', { text: hint })),
      dot ? h('span', { class: 'dot', text: dot }) : icon('chevron'));
    const newsCount = state.announcements.filter((a) => !seenNews().includes(a.id)).length;
    const tiles = [
      m.feedback && m.feedback.enabled && tile('bug', t('feedback_tile'), t('feedback_tile_hint'), 'feedback'),
      m.messenger && m.messenger.enabled && tile('chat', t('chat_tile'), t('chat_tile_hint'), 'chat', state.unread ? t('unread', { count: state.unread }) : null),
      state.survey && tile('survey', t('survey_tile'), t('survey_tile_hint'), 'survey', '1'),
      m.announcements && m.announcements.enabled && tile('megaphone', t('news_tile'), t('news_tile_hint'), 'news', newsCount ? t('unread', { count: newsCount }) : null),
      m.nps && m.nps.enabled ? tile('star', t('nps_tile'), t('nps_tile_hint'), 'nps') : m.csat && m.csat.enabled && tile('star', t('nps_tile'), t('nps_tile_hint'), 'csat'),
    ];
    frame(t('home_title'), t('home_subtitle'), h('div', { class: 'body' }, h('div', { class: 'tiles' }, tiles)), { back: false });
  };

  // ---------- feedback: type, title, description, e-mail, screenshot, captured logs ----------
  let draft = null; // survives switching views; a new one after each successful submit
  const newDraft = () => ({ type: null, title: '', description: '', email: state.user.email || '', shot: null, shotUrl: null, captured: false, idempotencyKey: randomId(), attachmentId: null });
  VIEWS.feedback = () => {
    const feedback = modules().feedback || {};
    const types = feedback.item_types && feedback.item_types.length ? feedback.item_types : [{ id: 'bug', label: 'Bug' }];
    if (!draft) draft = newDraft();
    if (!draft.type) draft.type = types[0].id;
    const edited = () => { draft.idempotencyKey = randomId(); }; // different content, a different action
    const chips = h('fieldset', null, h('legend', { class: 'legend', text: t('type_label') }), h('div', { class: 'chips' },
      types.map((type) => h('label', { class: 'chip' },
        h('input', { type: 'radio', name: 'tk-type', value: type.id, checked: draft.type === type.id, onchange: () => { draft.type = type.id; edited(); } }),
        h('span', { text: type.label || type.id })))));
    const title = h('input', { type: 'text', id: 'tk-f-title', maxlength: '200', placeholder: t('title_placeholder'), value: draft.title, oninput: (e) => { draft.title = e.target.value; edited(); } });
    const description = h('textarea', { id: 'tk-f-description', maxlength: '20000', placeholder: t('description_placeholder'), 'aria-describedby': 'tk-f-status', oninput: (e) => { draft.description = e.target.value; edited(); } });
    description.value = draft.description;
    const email = h('input', { type: 'email', id: 'tk-f-email', autocomplete: 'email', placeholder: t('email_placeholder'), value: draft.email, oninput: (e) => { draft.email = e.target.value; edited(); } });
    const status = h('p', { id: 'tk-f-status', class: 'error', role: 'alert' });
    const send = h('button', { type: 'submit', class: 'primary', text: t('submit') });
    const form = h('form', { class: 'body', novalidate: true, onsubmit: (e) => { e.preventDefault(); submitFeedback(send, status); } },
      chips,
      h('div', { class: 'field' }, h('label', { for: 'tk-f-title', text: t('title_label') }), title),
      h('div', { class: 'field' }, h('label', { for: 'tk-f-description', text: t('description_label') }), description),
      h('div', { class: 'field' }, h('label', { for: 'tk-f-email' }, t('email_label'), ' ', h('span', { class: 'hint', text: t('email_hint') })), email),
      feedback.screenshots ? screenshotField() : null,
      feedback.console_capture || feedback.network_capture ? h('p', { class: 'note', text: t('attached_logs') }) : null,
      status, send);
    frame(t('title'), null, form);
    (draft.type ? title : chips).setAttribute('autofocus', '');
    if (feedback.screenshots && !draft.captured) { draft.captured = true; takeScreenshot(); }
  };

  function screenshotField() {
    const box = h('div', { class: 'shot', id: 'tk-shot' });
    const picker = h('input', { type: 'file', accept: 'image/png,image/jpeg,image/webp', class: 'sr', id: 'tk-file', tabindex: '-1', onchange: (e) => {
      const file = e.target.files && e.target.files[0];
      if (file) setShot(file);
    } });
    const render = (statusText) => {
      box.replaceChildren(
        draft.shotUrl ? h('img', { src: draft.shotUrl, alt: t('screenshot_label') }) : h('span', { class: 'glyph' }, icon('image')),
        h('div', { class: 'actions' },
          h('span', { class: 'status', role: 'status', text: statusText || (draft.shot ? `${t('screenshot_label')} · ${Math.round(draft.shot.size / 1024)} KB` : t('screenshot_label')) }),
          draft.shot ? h('button', { type: 'button', class: 'link', onclick: () => { setShot(null); } }, t('screenshot_remove')) : null,
          h('button', { type: 'button', class: 'link', onclick: () => takeScreenshot() }, icon('camera'), t('screenshot_retake')),
          h('button', { type: 'button', class: 'link', onclick: () => picker.click() }, icon('image'), t('screenshot_choose'))),
        picker);
    };
    box.render = render;
    render();
    return h('div', { class: 'field' }, h('span', { class: 'legend', text: t('screenshot_label') }), box);
  }
  function setShot(blob, statusText) {
    if (draft.shotUrl) URL.revokeObjectURL(draft.shotUrl);
    draft.shot = blob;
    draft.shotUrl = blob ? URL.createObjectURL(blob) : null;
    draft.attachmentId = null;
    draft.idempotencyKey = randomId();
    const box = ui.panel && ui.panel.querySelector('#tk-shot');
    if (box) box.render(statusText);
  }
  async function takeScreenshot() {
    const box = ui.panel && ui.panel.querySelector('#tk-shot');
    if (box) box.render(t('screenshot_capturing'));
    try {
      setShot(await capturePage());
    } catch (e) {
      own.warn('Trackelio: screenshot failed', e);
      setShot(null, t('screenshot_failed'));
    }
  }

  async function submitFeedback(button, status) {
    const feedback = modules().feedback || {};
    if (!draft.title.trim() && !draft.description.trim()) {
      status.textContent = t('required_title_or_description');
      announce(status.textContent);
      ui.panel.querySelector('#tk-f-description').focus();
      return;
    }
    await runAction(button, status, async (onRetry) => {
      if (draft.shot && !draft.attachmentId) {
        const uploaded = await api('POST', '/v1/widget/upload', { body: draft.shot, headers: { 'Content-Type': draft.shot.type || 'image/png' }, onRetry, timeout: 120000 });
        draft.attachmentId = uploaded.data.id;
      }
      const body = {
        item_type: draft.type, title: draft.title.trim() || undefined, description: draft.description.trim() || undefined,
        submitter: submitter(draft.email.trim()), page: page(), viewport: { width: innerWidth, height: innerHeight },
        browser: { platform: cut(String((navigator.userAgentData && navigator.userAgentData.platform) || navigator.platform || ''), 100) || undefined, user_agent: navigator.userAgent },
        session_token: sessionToken, attachment_ids: draft.attachmentId ? [draft.attachmentId] : undefined,
        console_logs: feedback.console_capture ? captured.console.slice() : undefined,
        network_logs: feedback.network_capture ? captured.network.slice() : undefined,
        metadata: { widget_version: VERSION, language },
      };
      const result = await api('POST', '/v1/widget/submit', { body, headers: { 'Idempotency-Key': draft.idempotencyKey }, onRetry });
      if (draft.shotUrl) URL.revokeObjectURL(draft.shotUrl);
      draft = null;
      doneView(t('title'), t('thanks'));
      announce(t('thanks'));
      ui.panel.dataset.feedbackId = result.data.id;
    });
  }

  // ---------- screenshot: the visible page through SVG foreignObject → canvas → PNG ----------
  async function capturePage() {
    const width = innerWidth; const height = innerHeight;
    const docWidth = Math.max(document.documentElement.scrollWidth, width);
    const docHeight = Math.max(document.documentElement.scrollHeight, height);
    const clone = document.documentElement.cloneNode(true);
    const originals = [...document.documentElement.querySelectorAll('input,textarea,select,canvas,img')];
    const copies = [...clone.querySelectorAll('input,textarea,select,canvas,img')];
    await Promise.all(originals.map(async (el, i) => {
      const copy = copies[i];
      if (!copy) return;
      if (el instanceof HTMLInputElement) {
        if (el.type === 'password') copy.setAttribute('value', '•'.repeat(el.value.length));
        else if (el.type === 'checkbox' || el.type === 'radio') { if (el.checked) copy.setAttribute('checked', ''); else copy.removeAttribute('checked'); }
        else if (el.type !== 'file') copy.setAttribute('value', el.value);
      } else if (el instanceof HTMLTextAreaElement) copy.textContent = el.value;
      else if (el instanceof HTMLSelectElement) [...copy.options].forEach((o, j) => { if (el.options[j] && el.options[j].selected) o.setAttribute('selected', ''); });
      else {
        // Images and canvases become data URLs: an SVG image loads nothing from outside.
        try {
          const canvas = document.createElement('canvas');
          canvas.width = el.width || el.naturalWidth || 1; canvas.height = el.height || el.naturalHeight || 1;
          if (el instanceof HTMLImageElement) { if (!el.complete || !el.naturalWidth) return; canvas.width = el.naturalWidth; canvas.height = el.naturalHeight; }
          canvas.getContext('2d').drawImage(el, 0, 0);
          const data = canvas.toDataURL('image/png');
          if (el instanceof HTMLCanvasElement) copy.replaceWith(Object.assign(document.createElement('img'), { src: data, width: el.clientWidth, height: el.clientHeight }));
          else { copy.setAttribute('src', data); copy.removeAttribute('srcset'); }
        } catch { /* cross-origin image: left as an empty box */ }
      }
    }));
    clone.querySelectorAll('script,noscript,iframe,video,audio,#trackelio-widget,link,style').forEach((n) => n.remove());
    const css = [];
    for (const sheet of document.styleSheets) {
      try { for (const rule of sheet.cssRules) css.push(rule.cssText); } catch { /* cross-origin stylesheet: unreadable */ }
    }
    const head = clone.querySelector('head') || clone.insertBefore(document.createElement('head'), clone.firstChild);
    const style = document.createElement('style');
    style.textContent = css.join('\n');
    head.append(style);
    const markup = new XMLSerializer().serializeToString(clone);
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`
      + `<foreignObject x="${-scrollX}" y="${-scrollY}" width="${docWidth}" height="${docHeight}">${markup}</foreignObject></svg>`;
    const image = new Image();
    image.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(svg);
    await image.decode();
    const scale = Math.min(window.devicePixelRatio || 1, 2);
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale); canvas.height = Math.round(height * scale);
    const context = canvas.getContext('2d');
    context.scale(scale, scale);
    const background = getComputedStyle(document.body).backgroundColor;
    context.fillStyle = !background || background === 'rgba(0, 0, 0, 0)' ? '#ffffff' : background;
    context.fillRect(0, 0, width, height);
    context.drawImage(image, 0, 0, width, height);
    const limit = (config.limits && config.limits.screenshot_bytes) || 10485760;
    let blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (blob && blob.size > limit) blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.8));
    if (!blob) throw new Error('The canvas produced no image.');
    return blob;
  }

  // ---------- NPS and CSAT ----------
  const scaleField = (min, max, stars, onPick) => {
    const buttons = [];
    const group = h('div', { class: 'scale' + (stars ? ' stars' : ''), role: 'radiogroup', 'aria-labelledby': 'tk-q' });
    let chosen = null;
    const pick = (value, focus) => {
      chosen = value;
      buttons.forEach((b, i) => {
        const on = min + i === value;
        b.setAttribute('aria-checked', String(on)); b.tabIndex = on ? 0 : -1;
        if (stars) b.classList.toggle('lit', min + i <= value);
        if (on && focus) b.focus();
      });
      onPick(value);
    };
    for (let value = min; value <= max; value++) {
      const button = h('button', { type: 'button', role: 'radio', 'aria-checked': 'false', tabindex: value === min ? '0' : '-1', 'aria-label': `${value} / ${max}`,
        onclick: () => pick(value),
        onkeydown: (e) => {
          const step = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1 }[e.key];
          if (step) { e.preventDefault(); pick(Math.min(max, Math.max(min, (chosen ?? min - step) + step)), true); }
        } }, stars ? icon('star') : String(value));
      buttons.push(button);
      group.append(button);
    }
    return group;
  };
  const answered = (kind) => {
    const at = local.get(kind + '-answered');
    const days = kind === 'nps' ? (modules().nps && modules().nps.frequency_days) ?? 90 : 30;
    return at && Date.now() - at < days * 864e5;
  };
  function ratingView(kind) {
    const nps = kind === 'nps';
    const module = modules()[kind] || {};
    const min = nps ? 0 : module.scale_min ?? 1; const max = nps ? 10 : module.scale_max ?? 5;
    let value = null;
    const actionKey = randomId();
    const status = h('p', { class: 'error', role: 'alert' });
    const send = h('button', { type: 'submit', class: 'primary', text: t('submit'), disabled: true });
    const comment = h('textarea', { id: 'tk-r-comment', maxlength: '2000', placeholder: t('comment_placeholder') });
    const form = h('form', { class: 'body', onsubmit: (e) => {
      e.preventDefault();
      runAction(send, status, async (onRetry) => {
        const body = { [nps ? 'score' : 'rating']: value, comment: comment.value.trim() || undefined, submitter: submitter(), page: page(), session_token: sessionToken };
        try {
          await api('POST', '/v1/widget/' + kind, { body, headers: { 'Idempotency-Key': actionKey }, onRetry });
        } catch (err) {
          if (err.code !== 'already_responded') throw err;
          local.set(kind + '-answered', Date.now());
          doneView(t('nps_tile'), t('already_answered'));
          return;
        }
        local.set(kind + '-answered', Date.now());
        doneView(t('nps_tile'), t('thanks'));
        announce(t('thanks'));
      });
    } },
    h('p', { class: 'question', id: 'tk-q', text: t(nps ? 'nps_question' : 'csat_question') }),
    scaleField(min, max, !nps && max - min <= 9, (v) => { value = v; send.disabled = false; }),
    nps ? h('div', { class: 'ends', 'aria-hidden': 'true' }, h('span', { text: t('nps_low') }), h('span', { text: t('nps_high') })) : null,
    h('div', { class: 'field' }, h('label', { for: 'tk-r-comment', text: t('comment_label') }), comment),
    status, send);
    frame(t('nps_tile'), null, form);
    form.querySelector('[role=radio]').setAttribute('autofocus', '');
  }
  VIEWS.nps = () => ratingView('nps');
  VIEWS.csat = () => ratingView('csat');

  /** NPS (else CSAT) shown once per page view by the config's trigger, unless answered lately; never while targeting hides the widget. */
  function armPrompt() {
    const m = modules();
    const kind = m.nps && m.nps.enabled && !answered('nps') ? 'nps' : m.csat && m.csat.enabled && !answered('csat') ? 'csat' : null;
    const trigger = config.trigger || {};
    if (!kind || !trigger.type || trigger.type === 'manual') return;
    const fire = () => {
      if (state.promptShown || ui.panel) return;
      state.promptShown = true;
      setTimeout(() => { if (!ui.panel && !host.hidden) open(kind); }, (trigger.delay_seconds || 0) * 1000);
    };
    if (trigger.type === 'scroll-depth') {
      const depth = (trigger.scroll_depth_percent || 50) / 100;
      const check = () => {
        const scrolled = (scrollY + innerHeight) / Math.max(document.documentElement.scrollHeight, 1);
        if (scrolled >= depth && !host.hidden) { removeEventListener('scroll', check); fire(); }
      };
      addEventListener('scroll', check, { passive: true });
    } else if (trigger.type === 'exit-intent') {
      const leave = (e) => { if (!e.relatedTarget && e.clientY <= 0 && !host.hidden) { document.removeEventListener('mouseout', leave); fire(); } };
      document.addEventListener('mouseout', leave);
    }
  }

  // ---------- surveys ----------
  /**
   * The survey's display: it opens by itself delay_seconds after it is read, where its position says, unless the visitor
   * has a panel open; `once` never again after that, `until_answered` (answered ones are not read) and `every_visit` once a visit (the tab's session).
   */
  function offerSurvey(survey) {
    const d = survey.display || {};
    const store = d.frequency === 'once' ? local : session;
    if (store.get('offered-' + survey.id)) return;
    setTimeout(() => {
      if (state.survey !== survey || ui.panel || host.hidden) return;
      store.set('offered-' + survey.id, 1);
      open('survey');
      ui.panel.classList.replace(side(), { 'bottom-left': 'left', 'bottom-right': 'right', center: 'center' }[d.position] || side());
    }, (d.delay_seconds || 0) * 1000);
  }
  VIEWS.survey = () => {
    const survey = state.survey;
    if (!survey) { show('home'); return; }
    const answers = {};
    const actionKey = randomId();
    const status = h('p', { class: 'error', role: 'alert' });
    const send = h('button', { type: 'submit', class: 'primary', text: t('survey_submit') });
    const questions = survey.questions.map((q) => {
      const id = 'tk-s-' + q.id;
      const legend = h('legend', { class: 'question', id: id + '-l' }, q.title, q.required ? null : h('span', { class: 'hint', text: ` (${t('optional')})` }));
      const error = h('p', { class: 'error', id: id + '-e', role: 'alert' });
      let control;
      if (q.type === 'single_choice' || q.type === 'multiple_choice') {
        const multiple = q.type === 'multiple_choice';
        control = q.options.map((o) => h('label', { class: 'option' },
          h('input', { type: multiple ? 'checkbox' : 'radio', name: id, value: o.id, onchange: (e) => {
            if (!multiple) answers[q.id] = o.id;
            else {
              const set = new Set(answers[q.id] || []);
              if (e.target.checked) set.add(o.id); else set.delete(o.id);
              answers[q.id] = set.size ? [...set] : undefined;
            }
          } }), h('span', { text: o.label })));
      } else if (q.type === 'text') {
        control = h('textarea', { id, 'aria-labelledby': id + '-l', maxlength: '5000', oninput: (e) => { answers[q.id] = e.target.value.trim() || undefined; } });
      } else {
        const min = q.min ?? (q.type === 'nps' ? 0 : 1); const max = q.max ?? (q.type === 'nps' ? 10 : 5);
        control = scaleField(min, max, false, (v) => { answers[q.id] = v; });
        control.setAttribute('aria-labelledby', id + '-l');
      }
      const set = h('fieldset', { 'aria-describedby': id + '-e' }, legend, control, error);
      set.check = () => { const missing = q.required && answers[q.id] === undefined; error.textContent = missing ? t('survey_required') : ''; return !missing; };
      return set;
    });
    const form = h('form', { class: 'body', novalidate: true, onsubmit: (e) => {
      e.preventDefault();
      const bad = questions.filter((q) => !q.check());
      if (bad.length) { const first = bad[0].querySelector('input,textarea,button'); if (first) first.focus(); return; }
      runAction(send, status, async (onRetry) => {
        const body = {
          survey_id: survey.id, submitter: submitter(), page: page(), session_token: sessionToken,
          answers: Object.entries(answers).filter(([, v]) => v !== undefined).map(([question_id, value]) => ({ question_id, value })),
        };
        await api('POST', '/v1/widget/survey/respond', { body, headers: { 'Idempotency-Key': actionKey }, onRetry });
        local.set('survey-' + survey.id, Date.now());
        state.survey = null;
        doneView(t('survey_tile'), t('thanks'));
        announce(t('thanks'));
      });
    } }, questions, status, send);
    frame(t('survey_tile'), null, form);
  };

  // ---------- announcements: rendered from the server's escaped body_html, rebuilt from an allowlist ----------
  const seenNews = () => local.get('news-seen') || [];
  const markSeen = (id) => local.set('news-seen', [...new Set([...seenNews(), id])].slice(-100));
  function safeBody(html, fallback) {
    const out = h('div', { class: 'md' });
    const allowed = { P: 'p', BR: 'br', STRONG: 'strong', EM: 'em', CODE: 'code', UL: 'ul', LI: 'li', A: 'a' };
    const copy = (from, to) => {
      for (const node of from.childNodes) {
        if (node.nodeType === Node.TEXT_NODE) to.append(node.textContent);
        else if (node.nodeType === Node.ELEMENT_NODE) {
          const tag = allowed[node.tagName];
          if (!tag) { copy(node, to); continue; }
          const el = document.createElement(tag);
          if (tag === 'a') {
            const href = node.getAttribute('href') || '';
            if (!/^https?:\/\//i.test(href)) { copy(node, to); continue; }
            el.href = href; el.target = '_blank'; el.rel = 'noopener noreferrer';
          }
          copy(node, el);
          to.append(el);
        }
      }
    };
    if (html) copy(new DOMParser().parseFromString(html, 'text/html').body, out); // an inert document: nothing in it runs or loads
    else out.append(h('p', { text: fallback || '' }));
    return out;
  }
  const newsLink = (a) => (a.link_url && /^https?:\/\//i.test(a.link_url)
    ? h('a', { class: 'more', href: a.link_url, target: '_blank', rel: 'noopener noreferrer', text: a.link_label || t('read_more') }) : null);
  /** Banners and toasts for the announcements not seen yet, and away with those the page no longer has. */
  function showAnnouncements() {
    const shown = [...root.querySelectorAll('.banner[data-announcement],.toast[data-announcement]')];
    for (const n of shown) if (!state.announcements.some((a) => a.id === n.dataset.announcement)) n.remove();
    for (const a of state.announcements) {
      if (seenNews().includes(a.id) || shown.some((n) => n.isConnected && n.dataset.announcement === a.id)) continue;
      if (a.style === 'banner') {
        const banner = h('div', { class: 'banner', role: 'region', 'aria-label': a.title, 'data-announcement': a.id },
          icon('megaphone'),
          h('div', { class: 'text' }, h('strong', { class: 'title', text: a.title }), safeBody(a.body_html, a.body), ' ', newsLink(a)),
          h('button', { type: 'button', class: 'iconbtn', 'aria-label': t('dismiss'), onclick: () => { markSeen(a.id); banner.remove(); } }, icon('close')));
        root.append(banner);
      } else if (a.style === 'toast' || a.style === 'modal') {
        const toast = h('div', { class: 'toast ' + side(), role: 'region', 'aria-label': a.title, 'data-announcement': a.id },
          h('div', { class: 'top' }, h('h3', { text: a.title }),
            h('button', { type: 'button', class: 'iconbtn', 'aria-label': t('dismiss'), onclick: () => { markSeen(a.id); toast.remove(); } }, icon('close'))),
          safeBody(a.body_html, a.body), newsLink(a));
        root.append(toast);
      }
    }
  }
  VIEWS.news = () => {
    const list = state.announcements;
    list.forEach((a) => markSeen(a.id));
    root.querySelectorAll('.toast[data-announcement]').forEach((n) => n.remove());
    frame(t('news_title'), null, h('div', { class: 'body' }, list.length
      ? h('div', { class: 'news' }, list.map((a) => h('article', { class: 'card', 'data-announcement': a.id },
        a.image_url && /^https:\/\//i.test(a.image_url) ? h('img', { src: a.image_url, alt: '' }) : null,
        h('h3', { text: a.title }), safeBody(a.body_html, a.body), newsLink(a))))
      : h('p', { class: 'empty', text: t('news_empty') })));
  };

  // ---------- messenger: start, message, long-poll history, end ----------
  const chat = { conversation: session.get('conversation'), messages: new Map(), cursor: '', polling: false, ended: false, list: null, composer: null };
  const visitorHeaders = () => ({ 'X-Visitor-Token': chat.conversation.token });
  function addMessages(messages) {
    let teamNew = 0;
    for (const m of messages) {
      if (!chat.messages.has(m.id) && m.author_kind === 'team') teamNew++;
      chat.messages.set(m.id, m);
      for (const [id, pending] of chat.messages) if (pending.pending && pending.client_message_id === m.client_message_id && m.client_message_id) chat.messages.delete(id);
    }
    if (teamNew && ui.view !== 'chat') setUnread(state.unread + teamNew);
    if (teamNew && ui.view === 'chat') announce(messages.filter((m) => m.author_kind === 'team').map((m) => m.body).join('\n'));
    renderMessages();
  }
  function renderMessages() {
    if (!chat.list) return;
    const sorted = [...chat.messages.values()].sort((a, b) => (a.pending ? 1 : 0) - (b.pending ? 1 : 0) || (a.sequence || 0) - (b.sequence || 0));
    chat.list.replaceChildren(...[
      h('div', { class: 'welcome', text: t('chat_welcome') }),
      ...sorted.map((m) => m.author_kind === 'system'
        ? h('div', { class: 'msg system', text: m.body })
        : h('div', { class: `msg ${m.author_kind === 'visitor' ? 'visitor' : 'team'}${m.pending ? ' pending' : ''}${m.failed ? ' failed' : ''}`, 'data-author': m.author_kind },
          m.author_kind === 'team' ? h('span', { class: 'who', text: m.author_name || t('chat_team') }) : h('span', { class: 'sr', text: t('chat_you') + ': ' }),
          m.body,
          m.failed ? h('button', { type: 'button', class: 'link', onclick: () => sendChat(m.body, m) }, t('chat_failed')) : null)),
      chat.ended && h('div', { class: 'msg system', text: t('chat_ended') })].filter(Boolean));
    chat.list.scrollTop = chat.list.scrollHeight;
  }
  async function poll() {
    if (chat.polling || !chat.conversation) return;
    chat.polling = true;
    while (chat.conversation && !chat.ended) {
      try {
        const result = await api('GET', '/v1/widget/messenger/history',
          { query: { conversation_id: chat.conversation.id, after: chat.cursor, wait: 20 }, headers: visitorHeaders(), attempts: 2, timeout: 35000 });
        chat.cursor = result.data.next_cursor;
        addMessages(result.data.messages);
        if (result.data.status === 'resolved') { chat.ended = true; renderMessages(); updateComposer(); }
      } catch (e) {
        if (e.status === 403 || e.status === 404) { forgetConversation(); break; }
        await sleep(3000);
      }
    }
    chat.polling = false;
  }
  function forgetConversation() {
    session.remove('conversation');
    chat.conversation = null; chat.messages.clear(); chat.cursor = ''; chat.ended = false;
  }
  async function sendChat(text, retrying) {
    const clientId = retrying ? retrying.client_message_id : randomId(); // one id per message, kept across retries
    const pendingId = retrying ? retrying.id : 'pending-' + clientId;
    chat.messages.set(pendingId, { id: pendingId, author_kind: 'visitor', body: text, pending: true, client_message_id: clientId });
    renderMessages();
    try {
      if (!chat.conversation) {
        const started = await api('POST', '/v1/widget/messenger/start',
          { body: { message: text, submitter: submitter(), page: page() }, headers: { 'Idempotency-Key': clientId } });
        chat.conversation = { id: started.data.conversation_id, token: started.data.visitor_token };
        session.set('conversation', chat.conversation);
        chat.messages.delete(pendingId);
        addMessages(started.data.messages);
        poll();
      } else {
        const sent = await api('POST', '/v1/widget/messenger/message',
          { body: { conversation_id: chat.conversation.id, body: text, client_message_id: clientId }, headers: visitorHeaders() });
        chat.messages.delete(pendingId);
        addMessages([sent.data]);
      }
    } catch (e) {
      if (e.code === 'conversation_ended') { chat.ended = true; chat.messages.delete(pendingId); updateComposer(); renderMessages(); return; }
      chat.messages.set(pendingId, { ...chat.messages.get(pendingId), pending: false, failed: true });
      renderMessages();
      announce(errorText(e));
    }
  }
  function updateComposer() {
    if (!chat.composer) return;
    chat.composer.replaceChildren(...(chat.ended
      ? [h('button', { type: 'button', class: 'primary', text: t('chat_new'), onclick: () => { forgetConversation(); show('chat'); } })]
      : composerControls()));
  }
  function composerControls() {
    const input = h('textarea', { id: 'tk-c-input', rows: '1', maxlength: '5000', placeholder: t('chat_placeholder'), 'aria-label': t('chat_placeholder'), autofocus: true });
    const send = h('button', { type: 'submit', class: 'send', 'aria-label': t('chat_send') }, icon('send'));
    const submit = () => { const text = input.value.trim(); if (!text) return; input.value = ''; sendChat(text); input.focus(); };
    input.addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); submit(); } });
    send.addEventListener('click', (e) => { e.preventDefault(); submit(); });
    return [input, send];
  }
  VIEWS.chat = () => {
    setUnread(0);
    chat.list = h('div', { class: 'messages', role: 'log', 'aria-live': 'polite', 'aria-label': t('chat_title') });
    chat.composer = h('form', { class: 'composer', onsubmit: (e) => e.preventDefault() });
    const end = chat.conversation && !chat.ended ? h('button', { type: 'button', class: 'link', text: t('chat_end'), onclick: async () => {
      try { await api('POST', '/v1/widget/messenger/end', { body: { conversation_id: chat.conversation.id }, headers: visitorHeaders() }); } catch (e) { announce(errorText(e)); return; }
      chat.ended = true; updateComposer(); renderMessages();
    } }) : null;
    frame(t('chat_title'), t('chat_tile_hint'), h('div', { class: 'chat' }, chat.list, end ? h('div', { class: 'chatbar' }, end) : null, chat.composer), { footer: false });
    updateComposer();
    renderMessages();
    poll();
  };
  function stopChatView() { chat.list = null; chat.composer = null; }

  // ---------- the refusal: this origin may not use the widget ----------
  VIEWS.refused = () => frame(t('launcher'), null, h('div', { class: 'body' },
    h('div', { class: 'done refused', role: 'alert' }, h('div', { class: 'glyph' }, icon('block')), h('h3', { text: t('refused_title') }),
      h('p', { text: t('refused_body', { origin: location.origin }) }))), { back: false });

  // ---------- start ----------
  async function loadConfig() {
    for (let attempt = 1; ; attempt++) {
      try {
        return (await api('GET', '/v1/widget/config', { attempts: 1 })).data;
      } catch (e) {
        if (e.status === 0 && await serverReachable()) throw new ApiError(403, 'origin_not_allowed', 'This origin is not allowed to use the widget.');
        if (e.status !== 0 && !RETRYABLE.includes(e.status)) throw e;
        if (attempt >= 4) throw e;
        await sleep(backoff(attempt));
      }
    }
  }

  async function start() {
    if (PREVIEW) { startPreview(); return; }
    try {
      config = await loadConfig();
    } catch (e) {
      if (e.code === 'origin_not_allowed') {
        own.warn(`Trackelio: ${location.origin} is not an allowed origin of this widget; add it in the widget's settings.`);
        config = { theme: {}, modules: {} };
        applyTheme();
        document.body.append(host);
        mountLauncher(t('launcher'), () => (ui.panel ? close() : open('refused')));
        host.dataset.state = 'refused';
        return;
      }
      own.error('Trackelio: the widget could not start:', e.code || '', e.message);
      return;
    }
    if (!config.active) return; // paused or switched off: nothing to offer
    language = pickLanguage();
    const m = modules();
    if (config.targeting || (m.surveys && m.surveys.enabled) || (m.announcements && m.announcements.enabled)) followPage();
    if (!targeted(config.targeting, targetingContext())) {
      // Not for this page or visitor: nothing shows until a page change or identify() makes the rules hold.
      host.hidden = true;
      host.dataset.state = 'not-targeted';
      pendingView = null;
      document.body.append(host);
      return;
    }
    await begin();
  }

  /** Shows the widget (once): the launcher or inline panel, the prompt's trigger, the survey and announcements. */
  let begun = false;
  let pendingView = null;
  let shown = false;
  async function begin() {
    begun = true;
    host.hidden = false;
    mount();
    armPrompt();
    const m = modules();
    if (chat.conversation && m.messenger && m.messenger.enabled) poll();
    await loadForPage();
    if (pendingView && !host.hidden) open(pendingView); // asked for before the widget had shown (a survey needs its read)
    pendingView = null;
    shown = true;
    host.dataset.loaded = 'true';
  }

  /** The survey and announcements for this page and visitor: read on showing and when what targeting reads changes; stale answers dropped. */
  let readFor = null;
  let reads = 0;
  // A page that rewrites its address every second (a player's ?t=, a scroll position) would cost a read a second for as
  // long as it is open: reads for an address change are at least 5 s apart (readSoon), the one after a gap with the
  // address then. identify() reads at once.
  let lastRead = -Infinity;
  let readTimer = null;
  const homeTiles = () => JSON.stringify([state.survey && state.survey.id, state.announcements.filter((a) => !seenNews().includes(a.id)).length]);
  async function loadForPage() {
    const query = targetingQuery();
    const key = JSON.stringify(query);
    if (key === readFor) return;
    readFor = key;
    lastRead = performance.now();
    const read = ++reads; // only the newest read's answers are used
    let failures = 0;
    const failed = (what) => (e) => { failures++; own.warn('Trackelio: ' + what, e.code); };
    const before = homeTiles();
    const m = modules();
    const tasks = [];
    if (m.surveys && m.surveys.enabled) {
      tasks.push(api('GET', '/v1/widget/survey', { query, attempts: 2 }).then((r) => {
        if (read !== reads) return;
        const survey = r && r.data;
        state.survey = survey && (!local.get('survey-' + survey.id) || (survey.display || {}).frequency === 'every_visit') ? survey : null;
        if (state.survey) offerSurvey(survey);
      }, failed('survey')));
    }
    if (m.announcements && m.announcements.enabled) {
      tasks.push(api('GET', '/v1/widget/announcements', { query, attempts: 2 }).then((r) => {
        if (read !== reads) return;
        state.announcements = r.data || [];
        showAnnouncements();
      }, failed('announcements')));
    }
    await Promise.all(tasks);
    if (read !== reads) return;
    if (failures) readFor = null; // read again on the next change
    if (ui.panel && ui.view === 'home' && homeTiles() !== before) {
      // Drawn again without taking the focus from the page; kept in the panel when it was there.
      const focused = ui.panel.contains(root.activeElement);
      VIEWS.home();
      if (focused) ui.panel.querySelector('#tk-title').focus();
    }
  }

  /**
   * The widget's targeting looked at again: on a page change (a single-page app's pushState too, noticed within a
   * second; only a widget with targeting, surveys or announcements watches) and on identify(). The widget shows once the
   * rules hold and hides when they stop holding — but not while the visitor has its panel open (it hides when they close it).
   */
  function pageChanged(atOnce) {
    const wasBegun = begun;
    retarget(); // begin() reads for itself
    if (!wasBegun || !begun || host.hidden) return;
    if (atOnce) { clearTimeout(readTimer); readTimer = null; loadForPage(); } else readSoon();
  }
  function readSoon() {
    if (readTimer) return;
    const wait = lastRead + 5000 - performance.now();
    if (wait <= 0) { loadForPage(); return; }
    readTimer = setTimeout(() => { readTimer = null; if (begun && !host.hidden) loadForPage(); }, wait);
  }
  function retarget() {
    if (PREVIEW || !config || !config.active) return;
    const wanted = targeted(config.targeting, targetingContext());
    if (wanted && !begun) { begin(); return; }
    if (wanted) host.hidden = false;
    else if (!(ui.panel && !inline())) host.hidden = true;
  }
  function followPage() {
    let href = location.href;
    setInterval(() => { if (location.href !== href) { href = location.href; pageChanged(); } }, 1000);
  }

  /** The launcher (or the inline panel) with the config's theme and language. */
  function mount() {
    applyTheme();
    document.body.append(host);
    if (inline()) {
      placeInline();
      followSlot();
      open('home', undefined, false); // drawn without taking the focus
    } else {
      mountLauncher(t('launcher'), () => (ui.panel ? close() : open('home')));
    }
    host.dataset.state = 'ready';
  }
  document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && ui.panel && !inline()) close(); });

  // An inline panel goes into its slot, else where the snippet stands in the body (one in <head> would hide it).
  const SLOT = '[data-trackelio-inline]';
  const placeInline = () => (document.querySelector(SLOT) || (script && script.closest('body') && script.parentElement) || document.body).append(host);
  // A slot that comes later (further down a page still being read, or rendered by a single-page app) gets the panel
  // then; one that goes takes the panel with it until the next comes. Only what was added is looked at.
  let slotWatch = null;
  function followSlot() {
    if (slotWatch || PREVIEW) return;
    slotWatch = new MutationObserver((records) => {
      if (host.isConnected && host.parentElement.matches(SLOT)) return;
      for (const record of records) {
        for (const node of record.type === 'attributes' ? [record.target] : record.addedNodes) {
          const slot = node.nodeType === 1 && node !== host && (node.matches(SLOT) ? node : node.querySelector(SLOT));
          if (slot) { slot.append(host); return; }
        }
      }
    });
    slotWatch.observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-trackelio-inline'] });
  }

  // ---------- preview: the dashboard's draft config, drawn again on every change ----------
  function startPreview() {
    window.addEventListener('message', (e) => {
      if (e.source !== window.parent || e.origin !== location.origin || !e.data || e.data.type !== 'trackelio:preview') return;
      stopChatView();
      root.replaceChildren();
      adopt();
      Object.assign(ui, { launcher: null, badge: null, panel: null, view: 'home', live: null });
      inlineContainer = null;
      config = { ...e.data.config, active: true };
      language = e.data.language || pickLanguage();
      mount();
      open('home');
      host.dataset.preview = String(Date.now());
    });
    window.parent.postMessage({ type: 'trackelio:preview-ready' }, location.origin);
  }

  // One global: a small API for the site. Calls queued before this async script arrived
  // ((window.Trackelio = window.Trackelio || []).push(['identify', {…}])) are made now; push works from then on too.
  const queued = Array.isArray(window.Trackelio) ? window.Trackelio : [];
  const call = (entry) => {
    const [name, ...args] = Array.isArray(entry) ? entry : [];
    if (!['open', 'close', 'identify'].includes(name)) own.warn('Trackelio.push takes open, close and identify, not', name);
    else try { Trackelio[name](...args); } catch (e) { own.error('Trackelio.' + name, e); }
  };
  const Trackelio = Object.freeze({
    version: VERSION,
    // Before the widget has shown: opened when it does. Never where targeting hides it.
    open: (view = 'home') => { if (Object.prototype.hasOwnProperty.call(VIEWS, view)) if (!shown) pendingView = view; else if (!host.hidden) open(view); },
    close: () => close(),
    identify: (user) => {
      const clean = {};
      for (const name of ['user_id', 'name', 'email', 'user_hash']) if (user && typeof user[name] === 'string') clean[name] = user[name];
      state.user = clean;
      state.custom = customAttributes(user && user.custom);
      pageChanged(true);
    },
    push: (...entries) => entries.forEach(call),
  });
  // Read-only; setting it is ignored (strict code too). A page's `var Trackelio` can only be set.
  try { Object.defineProperty(window, 'Trackelio', { get: () => Trackelio, set() {} }); } catch { try { window.Trackelio = Trackelio; } catch { /* a page's constant */ } }
  queued.forEach(call);
  window.dispatchEvent(new Event('trackelio:ready'));

  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start, { once: true });
})();
