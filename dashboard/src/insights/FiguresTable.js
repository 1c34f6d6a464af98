// A chart's numbers as a real table for screen readers (and for anyone, when the view shows its tables).
import { html } from '../ui.js';

/** One row per category (a day, a week, a month, an answer); `total` is an optional last row for the whole. */
export function FiguresTable({ caption, header, valueHeader, rows, total, visible }) {
  return html`<table class=${visible ? 'figures' : 'figures visually-hidden'}>
    <caption>${caption}</caption>
    <thead><tr><th scope="col">${header}</th><th scope="col">${valueHeader}</th></tr></thead>
    <tbody>${rows.map(([label, value]) => html`<tr><th scope="row">${label}</th><td>${value}</td></tr>`)}</tbody>
    ${total && html`<tfoot><tr><th scope="row">${total[0]}</th><td>${total[1]}</td></tr></tfoot>`}
  </table>`;
}
