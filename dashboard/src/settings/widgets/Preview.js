// The live preview: the real widget script on the app's own preview page (/app/widget-preview, in a frame), drawn
// with the unsaved config. The draft goes to the frame by postMessage, to this origin only; the widget in preview
// mode draws it again on every change and calls no API (see docs/dashboard.md, "Widgets").
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../../ui.js';

export function Preview({ t, config }) {
  const w = t.settings.widgets;
  const frame = useRef(null);
  const [loaded, setLoaded] = useState(false);
  const [language, setLanguage] = useState(config.languages.default);
  const shown = config.languages.available.includes(language) ? language : config.languages.default;

  useEffect(() => {
    if (loaded) frame.current.contentWindow.postMessage({ type: 'trackelio:preview', config, language: shown }, location.origin);
  }, [loaded, config, shown]);

  return html`<aside class="preview" aria-labelledby="preview-heading">
    <h3 id="preview-heading">${w.preview}</h3>
    <p>${w.previewHint}</p>
    <label for="preview-language">${w.previewLanguage}</label>
    <select id="preview-language" value=${shown} onChange=${e => setLanguage(e.target.value)}>
      ${config.languages.available.map(code => html`<option value=${code}>${code}</option>`)}
    </select>
    <iframe ref=${frame} src="/app/widget-preview" title=${w.previewTitle} onLoad=${() => setLoaded(true)}></iframe>
  </aside>`;
}
