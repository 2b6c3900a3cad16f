/** The sandbox's tiny HTTP vocabulary: a parsed request and the response a route returns. */
export interface SandboxRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: string;
  /** Set once the access token (or SOAP session id) is checked. */
  userId: string;
}

export interface SandboxResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export const json = (status: number, value: unknown, headers: Record<string, string> = {}): SandboxResponse => ({
  status,
  headers: { 'content-type': 'application/json;charset=UTF-8', ...headers },
  body: JSON.stringify(value),
});

/** REST error body: `[{ message, errorCode }]`. */
export const restError = (status: number, errorCode: string, message: string): SandboxResponse =>
  json(status, [{ message, errorCode }]);

export interface Route {
  method: string;
  /** Matched against the path (no query string). Named groups become params. */
  pattern: RegExp;
  /** Name for the per-route statistics. */
  name: string;
  /** `false` for routes that need no token (OAuth) or check it themselves (SOAP). */
  auth: boolean;
  /** Counts against the daily API allocation. */
  counts: boolean;
  handle(req: SandboxRequest, params: Record<string, string>): Promise<SandboxResponse> | SandboxResponse;
}
