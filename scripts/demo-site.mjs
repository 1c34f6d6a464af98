#!/usr/bin/env node
// The demo site: a stranger's page that embeds the widget, served from its own origin.
//   node scripts/demo-site.mjs --api http://localhost:7071 --key pk_live_… [--port 3000] [--host 127.0.0.1]
// Serves demo/ (any path without a file is the shop page, so targeting by path can be tried
// on /, /pricing, …) with the snippet filled in, under a strict Content-Security-Policy so the
// widget proves it needs no inline script or style. ?key= and ?api= override the defaults per
// page (the browser tests give each test its own widget). Prints "Demo site: URL" when ready.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) =>
  (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []));
const port = Number(args.port ?? 3000);
const hostName = args.host ?? '127.0.0.1';
const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'demo');
const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png' };
const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const server = createServer(async (request, response) => {
  try {
    const url = new URL(request.url, 'http://demo.invalid');
    if (url.pathname.startsWith('/api/')) {
      // The shop's own API, failing: something for the widget's network capture to see.
      response.writeHead(502, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ error: 'payment provider unavailable' }));
      return;
    }
    const file = normalize(url.pathname).replace(/^(\.\.[/\\])+/, '');
    const type = types[extname(file)];
    if (type && file !== '/index.html') {
      const body = await readFile(join(root, file)).catch(() => null);
      response.writeHead(body ? 200 : 404, { 'Content-Type': type, 'Cache-Control': 'no-cache' });
      response.end(body ?? 'not found');
      return;
    }
    const api = (url.searchParams.get('api') || args.api || 'http://localhost:7071').replace(/\/+$/, '');
    const key = url.searchParams.get('key') || args.key || '';
    const apiOrigin = new URL(api).origin;
    const snippet = `<script src="${escape(api)}/widget/v1/trackelio.js" data-project-key="${escape(key)}" async></script>`;
    const html = (await readFile(join(root, 'index.html'), 'utf8'))
      .replace('<!--SNIPPET-->', snippet)
      .replace('<!--SNIPPET_TEXT-->', escape(snippet));
    response.writeHead(200, {
      'Content-Type': types['.html'],
      'Cache-Control': 'no-store',
      'Content-Security-Policy': `default-src 'self'; script-src 'self' ${apiOrigin}; connect-src 'self' ${apiOrigin}; img-src 'self' data: blob:; style-src 'self'; frame-ancestors 'none'`,
    });
    response.end(html);
  } catch (error) {
    response.writeHead(500, { 'Content-Type': 'text/plain' });
    response.end(String(error));
  }
});
server.listen(port, hostName, () => {
  console.log(`Demo site: http://${hostName}:${server.address().port}/`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
