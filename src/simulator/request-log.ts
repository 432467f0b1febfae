export interface RequestRecord {
  method: string;
  path: string;
  status: number;
  at: string;
  fault?: string;
  /** Dotted names of the fields the request body set; never their values. */
  fields?: string[];
}

/** The API requests in the order they arrived, for tests to count and inspect (`GET /_sim/requests`). */
export class RequestLog {
  private records: RequestRecord[] = [];

  /** A record of a request that has just arrived; the caller fills in its status and fault. */
  open(method: string, path: string, body: string): RequestRecord {
    const record: RequestRecord = {
      method,
      path,
      status: 0,
      at: new Date().toISOString(),
      ...(body ? { fields: fieldNames(body) } : {}),
    };
    this.records.push(record);
    return record;
  }

  all(): RequestRecord[] {
    return this.records;
  }

  clear(): void {
    this.records = [];
  }
}

function fieldNames(body: string): string[] {
  try {
    const walk = (value: unknown, prefix: string): string[] =>
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? Object.entries(value).flatMap(([k, v]) => walk(v, `${prefix}${k}.`))
        : [prefix.slice(0, -1)];
    return walk(JSON.parse(body), '').sort();
  } catch {
    return [];
  }
}
