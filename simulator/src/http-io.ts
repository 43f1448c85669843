import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { isMultipartRequest, readMultipartForm } from './multipart-form';

const MAX_FORM_BYTES = 1024 * 1024;

export class BodyTooLargeError extends Error {}

export async function readBody(req: IncomingMessage, maxBytes = MAX_FORM_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new BodyTooLargeError(`Request body over ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function isFormRequest(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

/**
 * Query parameters, overridden by those of an application/x-www-form-urlencoded body, or by the text fields
 * of a multipart body when the query has no `api` (DSM's own UI posts DownloadStation2 torrents that way).
 */
export async function readParams(req: IncomingMessage, url: URL): Promise<Map<string, string>> {
  const params = new Map(url.searchParams);
  if (req.method === 'POST' && isFormRequest(req)) {
    for (const [name, value] of new URLSearchParams(await readBody(req))) params.set(name, value);
  } else if (req.method === 'POST' && isMultipartRequest(req) && !params.has('api')) {
    for (const [name, value] of (await readMultipartForm(req)).fields) params.set(name, value);
  }
  return params;
}

/** A cookie's value; one that is not valid percent-encoding is taken as sent (as an unknown sid, say). */
export function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) {
      const value = part.slice(separator + 1).trim();
      return decodePercent(value) ?? value;
    }
  }
  return undefined;
}

/** decodeURIComponent, or undefined for malformed percent-encoding. */
export function decodePercent(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * A request whose body was not read to its end cannot be followed by another on the same connection:
 * the answer says so and the connection is closed once it is sent.
 */
function closeIfBodyUnread(res: ServerResponse): void {
  const { req } = res;
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length']) > 0;
  if (hasBody && !req.complete) res.setHeader('Connection', 'close');
}

export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  cookies: string[] = [],
  contentType = 'application/json; charset=utf-8',
): void {
  if (res.destroyed || res.headersSent) return;
  const text = JSON.stringify(body);
  res.statusCode = status;
  closeIfBodyUnread(res);
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', Buffer.byteLength(text));
  if (cookies.length > 0) res.setHeader('Set-Cookie', cookies);
  res.end(text);
}

export function sendNotFound(res: ServerResponse): void {
  if (res.destroyed || res.headersSent) return;
  res.statusCode = 404;
  closeIfBodyUnread(res);
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end('<html><body><h1>404 Not Found</h1></body></html>');
}

/**
 * A web server's own error page (text/html), as a gateway answers in DSM's place: nginx's default page. DSM's nginx
 * maps 403/404/500/502/503/504 to a static page of its own instead (`error_page ... @error_page` →
 * /usr/syno/share/nginx/error.html in DSM's nginx config; HA #135289 logged a 502 text/html of 11939 bytes with an
 * ETag and `Connection: keep-alive` from entry.cgi): neither is a DSM JSON answer, and neither names the cause, so
 * a client can go by the status only. The connection stays open unless the request body was not read.
 */
export function sendErrorPage(
  res: ServerResponse,
  status: number,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed || res.headersSent) return;
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  const page = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
  res.statusCode = status;
  closeIfBodyUnread(res);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', 'text/html');
  res.setHeader('Content-Length', Buffer.byteLength(page));
  res.end(page);
}

/** An answer without a body, e.g. 413 for a form body over the limit. */
export function sendStatus(res: ServerResponse, status: number): void {
  if (res.destroyed || res.headersSent) return;
  res.statusCode = status;
  closeIfBodyUnread(res);
  res.end();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
