// The server `ng new --ssr` writes (express), shortened: the browser build's files, then
// every other request rendered by Angular. /api/keys is passed to the test's key issuer
// (NG_KEYS_URL), as a host's own route would issue keys.
import { AngularNodeAppEngine, createNodeRequestHandler, isMainModule, writeResponseToNodeResponse } from '@angular/ssr/node';
import express from 'express';
import { join } from 'node:path';

const browserDistFolder = join(import.meta.dirname, '../browser');
const app = express();
const angularApp = new AngularNodeAppEngine();

app.post('/api/keys', async (_req, res) => {
  const answer = await fetch(process.env['NG_KEYS_URL'] ?? '', { method: 'POST' });
  res.status(answer.status).type('application/json').send(await answer.text());
});
app.use(express.static(browserDistFolder, { maxAge: '1y', index: false, redirect: false }));
app.use((req, res, next) => {
  angularApp
    .handle(req)
    .then((response) => (response ? writeResponseToNodeResponse(response, res) : next()))
    .catch(next);
});

if (isMainModule(import.meta.url)) {
  const port = Number(process.env['PORT'] || 4000);
  app.listen(port, '127.0.0.1', (error) => {
    if (error) throw error;
    console.log(`listening on http://127.0.0.1:${port}`);
  });
}

export const reqHandler = createNodeRequestHandler(app);
