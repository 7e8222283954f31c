import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join, normalize, relative, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml' };

/** Report files named by the arguments: files as given, directories searched for *.json. */
export function collectReports(paths: string[]): string[] {
  const out: string[] = [];
  const visit = (path: string) => {
    const stat = statSync(path);
    if (stat.isDirectory()) for (const entry of readdirSync(path).sort()) visit(join(path, entry));
    else if (path.endsWith('.json') && !path.includes('.tmp-') && !basename(path).includes('.shard-')) out.push(path);
  };
  for (const p of paths) visit(p);
  return out;
}

/**
 * Serves the built viewer (static files) and the chosen reports: GET /api/reports lists their
 * names, GET /api/report-dates their modification times (ms), GET /api/report?name=… returns one. Only loopback, only those files.
 */
export function serveViewer(dist: string, reports: string[], port: number, host = '127.0.0.1'): Promise<{ server: Server; url: string }> {
  const names = new Map(reports.map((file) => [relative(process.cwd(), file) || file, file]));
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/api/reports') return send(response, 200, TYPES['.json']!, JSON.stringify([...names.keys()]));
    if (url.pathname === '/api/report-dates') return send(response, 200, TYPES['.json']!, JSON.stringify(Object.fromEntries([...names].map(([name, file]) => [name, modifiedMs(file)]))));
    if (url.pathname === '/api/report') {
      const file = names.get(url.searchParams.get('name') ?? '');
      if (file === undefined) return send(response, 404, 'text/plain', 'no such report');
      return send(response, 200, TYPES['.json']!, readFileSync(file));
    }
    const wanted = url.pathname === '/' ? '/index.html' : url.pathname;
    const file = resolve(dist, `.${normalize(decodeURIComponent(wanted))}`);
    if (!file.startsWith(resolve(dist) + sep) || !existsSync(file) || statSync(file).isDirectory()) return send(response, 404, 'text/plain', 'not found');
    send(response, 200, TYPES[extname(file)] ?? 'application/octet-stream', readFileSync(file));
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      const actual = typeof address === 'object' && address !== null ? address.port : port;
      resolvePromise({ server, url: `http://${host}:${actual}/` });
    });
  });
}

function modifiedMs(file: string): number | null {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return null;
  }
}

function send(response: import('node:http').ServerResponse, status: number, type: string, body: string | Buffer): void {
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  response.end(body);
}
