/**
 * The API's contract for people and programs: `GET /openapi.json` (OpenAPI 3.1, generated from the zod schemas) and
 * `GET /docs`, a Swagger UI page whose scripts and styles come from the `swagger-ui-dist` package on this server
 * (no CDN: the page works offline and behind strict firewalls).
 */
import path from 'node:path';
import express, { Router } from 'express';
import { buildOpenApiDocument } from '../openapi';

const SWAGGER_UI_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'));

export function docsRouter(options: { publicBaseUrl: string }): Router {
  const router = Router();
  const document = JSON.stringify(buildOpenApiDocument({ serverUrl: options.publicBaseUrl }));
  const serverOrigin = new URL(options.publicBaseUrl).origin;

  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(document);
  });

  router.use('/docs/assets', express.static(SWAGGER_UI_DIR, { index: false, immutable: true, maxAge: '1d' }));

  router.get('/docs/init.js', (_req, res) => {
    res.type('application/javascript').send(INIT_SCRIPT);
  });

  router.get('/docs', (_req, res) => {
    res.set(
      'Content-Security-Policy',
      `default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ${serverOrigin}; base-uri 'none'; frame-ancestors 'none'`,
    );
    res.type('html').send(PAGE);
  });

  return router;
}

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Order Journeys API</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>`;

/** A separate script, so the page's CSP needs no 'unsafe-inline' for scripts. */
const INIT_SCRIPT = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
  persistAuthorization: false,
});
`;
