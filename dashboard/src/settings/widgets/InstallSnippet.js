// The tag a site pastes to embed this widget: the app's own script address and the widget's project key.
import { useState } from 'preact/hooks';
import { html } from '../../ui.js';

export function InstallSnippet({ t, widget }) {
  const w = t.settings.widgets;
  const [copied, setCopied] = useState(false);
  const snippet = `<script src="${location.origin}/widget/v1/trackelio.js" data-project-key="${widget.project_key}" async></script>`;
  const copy = () => navigator.clipboard.writeText(snippet).then(() => setCopied(true), () => setCopied(false));
  return html`<section class="install" aria-labelledby="install-heading">
    <h3 id="install-heading">${w.install}</h3>
    <p>${w.installHint}</p>
    <pre><code>${snippet}</code></pre>
    <button type="button" class="secondary" onClick=${copy}>${w.copy}</button> <span role="status">${copied ? w.copied : ''}</span>
  </section>`;
}
