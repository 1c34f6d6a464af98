// Runs the widget's own targeting rules (the section of Trackelio.Functions/Widget/Script/trackelio.js between
// "// ---------- targeting:" and "// ---------- end of targeting ----------") over the cases in the JSON file named by
// the first argument — [{ rule, context }, …] — and prints whether each holds, as a JSON array of booleans.
// TargetingEquivalenceTests compares the answers with the server's TargetingEngine.
import { readFileSync } from 'node:fs';

const source = readFileSync(new URL('../Trackelio.Functions/Widget/Script/trackelio.js', import.meta.url), 'utf8');
const start = source.indexOf('// ---------- targeting:');
const end = source.indexOf('// ---------- end of targeting ----------');
if (start < 0 || end < start) {
  console.error('the targeting section of trackelio.js was not found (its two marker comments)');
  process.exit(2);
}
const targeted = new Function(source.slice(start, end) + '\nreturn targeted;')();
const cases = JSON.parse(readFileSync(process.argv[2], 'utf8'));
console.log(JSON.stringify(cases.map(({ rule, context }) => targeted(rule, context))));
