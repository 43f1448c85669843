import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { BodyTooLargeError } from './http-io';

/** A small multipart/form-data body read whole (torrent files, not File Station uploads). */
export interface MultipartForm {
  /** The text fields that precede the first file part: the only ones DSM reads. */
  readonly fields: ReadonlyMap<string, string>;
  /** The file parts by field name. */
  readonly files: ReadonlyMap<string, FormFile>;
}

export interface FormFile {
  readonly filename: string | undefined;
  readonly contentType: string;
  readonly data: Buffer;
}

const MAX_FORM_BYTES = 16 * 1024 * 1024;
const forms = new WeakMap<IncomingMessage, Promise<MultipartForm>>();
const fieldsRead = new WeakMap<IncomingMessage, ReadonlyMap<string, string>>();
const filesRead = new WeakMap<IncomingMessage, string[]>();

/** Keeps the text fields a handler read from the request's multipart body, for the request log. */
export function noteFormFields(req: IncomingMessage, fields: ReadonlyMap<string, string>): void {
  fieldsRead.set(req, fields);
}

/** Keeps the name of a file part a handler read from the request's multipart body, for the request log. */
export function noteFormFile(req: IncomingMessage, filename: string | undefined): void {
  if (filename === undefined) return;
  const names = filesRead.get(req) ?? [];
  names.push(filename);
  filesRead.set(req, names);
}

/** The names of the file parts read from the request's multipart body so far; undefined when none was read. */
export function formFilesRead(req: IncomingMessage): readonly string[] | undefined {
  return filesRead.get(req);
}

/** The text fields read from the request's multipart body so far; undefined when none was read. */
export function formFieldsRead(req: IncomingMessage): ReadonlyMap<string, string> | undefined {
  return fieldsRead.get(req);
}

export function isMultipartRequest(req: IncomingMessage): boolean {
  return /^multipart\/form-data/i.test(req.headers['content-type'] ?? '');
}

/**
 * The request's multipart body, read once (later calls get the same answer). A body that is not multipart or
 * cannot be parsed reads as an empty form; one over 16 MiB throws BodyTooLargeError.
 */
export function readMultipartForm(req: IncomingMessage): Promise<MultipartForm> {
  let form = forms.get(req);
  if (!form) {
    form = parseForm(req);
    forms.set(req, form);
  }
  return form;
}

function parseForm(req: IncomingMessage): Promise<MultipartForm> {
  const fields = new Map<string, string>();
  const files = new Map<string, FormFile>();
  const empty = { fields, files };
  if (!isMultipartRequest(req)) return Promise.resolve(empty);
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: { fileSize: MAX_FORM_BYTES },
      });
    } catch {
      resolve(empty);
      return;
    }
    let tooLarge = false;
    let sawFile = false;
    parser.on('field', (name, value) => {
      if (!sawFile) fields.set(name, value);
    });
    parser.on('file', (name, stream, info) => {
      sawFile = true;
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => (tooLarge = true));
      stream.on('end', () => {
        files.set(name, { filename: info.filename, contentType: info.mimeType, data: Buffer.concat(chunks) });
      });
    });
    parser.on('close', () => {
      if (tooLarge) reject(new BodyTooLargeError(`Multipart body over ${MAX_FORM_BYTES} bytes`));
      else {
        noteFormFields(req, fields);
        for (const file of files.values()) noteFormFile(req, file.filename);
        resolve({ fields, files });
      }
    });
    parser.on('error', () => resolve(empty));
    req.pipe(parser);
  });
}
