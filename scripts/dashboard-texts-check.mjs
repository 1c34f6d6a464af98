// Checks that every language of the dashboard has every text English has, with the same shape (run by
// DashboardTextsTests): bundles dashboard/src/i18n.js with the views' texts.js files and compares textsFor(…) key for key.
import { build } from 'esbuild';
const out = await build({ entryPoints: ['dashboard/src/i18n.js'], bundle: true, format: 'esm', write: false, logLevel: 'silent' });
const i18n = await import('data:text/javascript;base64,' + Buffer.from(out.outputFiles[0].text).toString('base64'));
const problems = [];
function compare(en, other, path) {
  for (const key of new Set([...Object.keys(en), ...Object.keys(other)])) {
    const where = `${path}.${key}`;
    if (!(key in other)) { problems.push(`${where} is missing`); continue; }
    if (!(key in en)) { problems.push(`${where} is not in English`); continue; }
    const [a, b] = [en[key], other[key]];
    if (typeof a !== typeof b) problems.push(`${where} is a ${typeof b}, in English a ${typeof a}`);
    else if (typeof a === 'function' && a.length !== b.length) problems.push(`${where} takes ${b.length} arguments, in English ${a.length}`);
    else if (typeof a === 'object' && a !== null) compare(a, b, where);
    else if (typeof a === 'string' && b.trim() === '') problems.push(`${where} is empty`);
  }
}
for (const language of i18n.languages.filter(l => l !== 'en')) compare(i18n.textsFor('en'), i18n.textsFor(language), language);
console.log(problems.join('\n'));
process.exit(problems.length ? 1 : 0);
