import type { RawParams } from './params';

export interface RequestLogEntry {
  /** Simulator clock, ms. */
  time: number;
  httpMethod: string;
  /** The path after /webapi/, e.g. 'entry.cgi'. */
  path: string;
  api: string | undefined;
  method: string | undefined;
  version: number | undefined;
  /** Raw parameters (query and form body) as sent, secrets replaced by '***'. */
  params: Record<string, string>;
  headers: {
    'x-syno-token': boolean;
    cookie: boolean;
    'content-type': string | undefined;
    /** `chunked` for a body sent without Content-Length. */
    'transfer-encoding': string | undefined;
  };
  /**
   * The names of the file parts of a multipart body the handler read (an upload's file, a torrent), as sent in
   * their Content-Disposition.
   */
  files?: string[];
  /**
   * True when the API method ran: the request passed routing, any fault set for before it and the session check.
   * The method may still have answered an error (a file that exists, a missing parameter).
   */
  performed?: boolean;
  /** The DSM error code answered, if any. */
  errorCode?: number;
  /** True when the simulator reset the connection instead of answering. */
  reset?: boolean;
  /** The HTTP status of a fault's error page (502, 503, ...) answered instead of DSM's JSON. */
  httpStatus?: number;
}

const SECRET_PARAMS = new Set(['passwd', 'password', 'otp_code', '_sid', 'device_id', 'SynoToken']);

/** The last /webapi requests, newest last. */
export class RequestLog {
  private entries: RequestLogEntry[] = [];

  constructor(private readonly capacity: number) {}

  add(entry: RequestLogEntry): RequestLogEntry {
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    return entry;
  }

  list(): RequestLogEntry[] {
    return this.entries.map((entry) => structuredClone(entry));
  }

  clear(): void {
    this.entries = [];
  }
}

export function maskParams(params: RawParams): Record<string, string> {
  return Object.fromEntries(
    [...params].map(([name, value]) => [name, SECRET_PARAMS.has(name) ? '***' : value]),
  );
}
