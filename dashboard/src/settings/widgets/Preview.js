// The live preview: the real widget script on the app's own preview page (/app/widget-preview, in a frame), drawn
// with the unsaved config. The draft goes to the frame by postMessage, to this origin only; the widget in preview
// mode draws it again on every change and calls no API (see docs/dashboard.md, "Widgets"). The draft is sent when the
// frame's widget says it listens (trackelio:preview-ready), each time it does: not on the frame's load event, which
// says nothing of the listener, and a reloaded frame (moved, or reloaded by the browser) starts empty again.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { html } from '../../ui.js';

export function Preview({ t, config }) {
  const w = t.settings.widgets;
  const frame = useRef(null);
  const [ready, setReady] = useState(0); // how many times the frame's widget has said it listens
  const [language, setLanguage] = useState(config.languages.default);
  const shown = config.languages.available.includes(language) ? language : config.languages.default;

  // A layout effect: listening from the same task that puts the frame in the page, before its document can run.
  useLayoutEffect(() => {
    const listen = (e) => {
      if (e.origin === location.origin && frame.current && e.source === frame.current.contentWindow
        && e.data && e.data.type === 'trackelio:preview-ready') setReady(n => n + 1);
    };
    window.addEventListener('message', listen);
    return () => window.removeEventListener('message', listen);
  }, []);

  useEffect(() => {
    if (ready) frame.current.contentWindow.postMessage({ type: 'trackelio:preview', config, language: shown }, location.origin);
  }, [ready, config, shown]);

  return html`<aside class="preview" aria-labelledby="preview-heading">
    <h3 id="preview-heading">${w.preview}</h3>
    <p>${w.previewHint}</p>
    <label for="preview-language">${w.previewLanguage}</label>
    <select id="preview-language" value=${shown} onChange=${e => setLanguage(e.target.value)}>
      ${config.languages.available.map(code => html`<option value=${code}>${code}</option>`)}
    </select>
    <iframe ref=${frame} src="/app/widget-preview" title=${w.previewTitle}></iframe>
  </aside>`;
}
