/**
 * The routes an express app really has, read from its router stack (Express 5 / router 2): what the OpenAPI
 * completeness test compares with the document, what the 405 answer lists in `Allow`, and what the HTTP metrics label
 * requests with (the route pattern, never the raw path,
 * so `/v1/orders/1001/journey` and `/v1/orders/1002/journey` count as one route).
 */
import type { Express } from 'express';

export interface MountedRoute {
  /** Lower case, as OpenAPI writes it: "get", "post"… */
  method: string;
  /** Express pattern, e.g. "/v1/orders/:orderId/journey". */
  path: string;
}

/** What router 2 keeps per layer; not part of Express's typings, so read defensively. */
interface Layer {
  route?: { path: unknown; methods: Record<string, boolean> };
  /** The path given to `use` / `route`: a string, a RegExp or an array of them. */
  rawPath?: unknown;
  handle?: { stack?: Layer[] };
}

/** Every method + path pattern routed in `app`, mounted routers included, in mounting order. */
export function listRoutes(app: Express): MountedRoute[] {
  return collect((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
}

function collect(stack: Layer[], prefix: string): MountedRoute[] {
  const routes: MountedRoute[] = [];
  for (const layer of stack) {
    if (layer.route) {
      for (const path of pathsOf(layer.route.path)) {
        for (const method of Object.keys(layer.route.methods).filter((m) => layer.route!.methods[m])) {
          routes.push({ method: method === '_all' ? 'all' : method, path: join(prefix, path) });
        }
      }
      continue;
    }
    const nested = layer.handle?.stack;
    // A router mounted with `use`: at "/" (rawPath "/") or under a prefix.
    if (Array.isArray(nested))
      for (const mount of pathsOf(layer.rawPath ?? '/')) routes.push(...collect(nested, join(prefix, mount)));
  }
  return routes;
}

function pathsOf(path: unknown): string[] {
  if (typeof path === 'string') return [path];
  if (Array.isArray(path)) return path.flatMap(pathsOf);
  return [String(path)]; // a RegExp route: kept visible rather than dropped
}

function join(prefix: string, path: string): string {
  if (path === '/' || path === '') return prefix || '/';
  return `${prefix.replace(/\/$/, '')}${path.startsWith('/') ? '' : '/'}${path}`;
}

/** "/v1/orders/:orderId/journey" → "/v1/orders/{orderId}/journey" (OpenAPI's path template). */
export function toOpenApiPath(expressPath: string): string {
  return expressPath.replace(/[:*]([A-Za-z_$][\w$]*)/g, '{$1}');
}

type CompiledRoute = { method: string; pattern: string; regexp: RegExp };

/** The app's routes with their patterns compiled, read once on first use (when every router has been mounted). */
function compiledRoutes(app: Express): () => CompiledRoute[] {
  let compiled: CompiledRoute[] | undefined;
  return () =>
    (compiled ??= listRoutes(app).map((r) => ({ method: r.method, pattern: r.path, regexp: patternRegExp(r.path) })));
}

/**
 * Finds the route pattern a request path belongs to, from the app's route list. Answers undefined for a path no route
 * serves (a 404).
 */
export function routePatternMatcher(app: Express): (method: string, path: string) => string | undefined {
  const routes = compiledRoutes(app);
  return (method, path) => {
    const m = method.toLowerCase();
    const wanted = m === 'head' ? ['head', 'get'] : [m];
    return routes().find((r) => (wanted.includes(r.method) || r.method === 'all') && r.regexp.test(path))?.pattern;
  };
}

/**
 * The methods the app serves on a path, upper case as an `Allow` header lists them (HEAD wherever GET is, as Express
 * answers it); empty for a path no route serves.
 */
export function allowedMethodsMatcher(app: Express): (path: string) => string[] {
  const routes = compiledRoutes(app);
  return (path) => {
    const methods = new Set(
      routes()
        .filter((r) => r.method !== 'all' && r.regexp.test(path))
        .map((r) => r.method.toUpperCase()),
    );
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods];
  };
}

/** Express 5 patterns as used here: literal segments, `:param` (one segment) and `*splat` (the rest). */
function patternRegExp(pattern: string): RegExp {
  const source = pattern
    .split('/')
    .map((segment) =>
      segment
        .split(/([:*][A-Za-z_$][\w$]*)/)
        .map((part) =>
          part.startsWith(':') ? '[^/]+' : part.startsWith('*') ? '.+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'),
        )
        .join(''),
    )
    .join('/');
  return new RegExp(`^${source}/?$`, 'i');
}
