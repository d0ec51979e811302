/**
 * The document's own operation in the contract (its handler: src/api/routes/docs.ts, which imports the document
 * builder; declaring it here keeps openapi.ts → docs.ts → openapi.ts from being a runtime import cycle).
 */
import { z } from 'zod';
import type { ApiContract } from '../openapi';

/** GET /docs and its assets are a page for people, left out of the contract on purpose. */
export function declareDocsRoutes(api: ApiContract): void {
  api.route({
    method: 'get',
    path: '/openapi.json',
    tags: ['operations'],
    summary: 'This document',
    responses: { 200: api.json('OpenAPI 3.1', z.record(z.string(), z.unknown())) },
  });
}
