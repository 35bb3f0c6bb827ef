/** A fault to inject: the next `count` requests matching `method` and `pathPrefix` answer `status`. */
export interface FaultSpec {
  count: number;
  status?: number;
  method?: string;
  pathPrefix?: string;
  /** Answer as GitHub's secondary rate limit (403, `retry-after`), ignoring `status`. */
  secondaryRateLimit?: boolean;
  /** Seconds for `retry-after` on a secondary rate limit. */
  retryAfter?: number;
  message?: string;
}

/** What to answer instead of handling a request. */
export interface FaultAnswer {
  status: number;
  headers: Record<string, string>;
  body: { message: string; documentation_url: string };
}

/** Queued faults, consumed in order by the requests they match, so retry and throttle code can be tested. */
export class FaultInjector {
  private faults: FaultSpec[] = [];

  add(spec: FaultSpec): void {
    this.faults.push({ ...spec });
  }

  clear(): void {
    this.faults = [];
  }

  /** Number of faulty answers still queued. */
  pending(): number {
    return this.faults.reduce((n, f) => n + f.count, 0);
  }

  /** The fault this request should get, consuming one; undefined when none matches. */
  take(method: string, path: string): FaultAnswer | undefined {
    const fault = this.faults.find(
      (f) => f.count > 0 && (f.method === undefined || f.method.toUpperCase() === method) && (f.pathPrefix === undefined || path.startsWith(f.pathPrefix)),
    );
    if (!fault) return undefined;
    fault.count -= 1;
    this.faults = this.faults.filter((f) => f.count > 0);
    if (fault.secondaryRateLimit) {
      return {
        status: 403,
        headers: { 'retry-after': String(fault.retryAfter ?? 1) },
        body: {
          message:
            fault.message ??
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.',
          documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        },
      };
    }
    const status = fault.status ?? 502;
    return {
      status,
      headers: {},
      body: { message: fault.message ?? (status >= 500 ? 'Server Error' : 'Injected fault'), documentation_url: 'https://docs.github.com/rest' },
    };
  }
}
