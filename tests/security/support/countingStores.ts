// Wraps stores so a test can tell whether a request wrote anything: every call to a method that changes data
// (create, update, put, append, delete…) is counted, by store and method.
const WRITES = /^(create|update|put|append|delete|remove|mark|upsert|write|add|revoke|set|record|save|replace|next)/;

export interface WriteCounter {
  total(): number;
  /** Writes other than audit appends (an audit event for a refused request is allowed). */
  records(): number;
  log(): string[];
}

export function countWrites<T extends object>(stores: T): { stores: T; counter: WriteCounter } {
  const calls: string[] = [];
  const wrap = (name: string, target: object): object =>
    new Proxy(target, {
      get(obj, prop, receiver) {
        const value: unknown = Reflect.get(obj, prop, receiver);
        if (typeof value !== "function" || typeof prop !== "string" || !WRITES.test(prop)) return value;
        return (...args: unknown[]) => {
          calls.push(`${name}.${prop}`);
          return (value as (...a: unknown[]) => unknown).apply(obj, args);
        };
      },
    });
  const wrapped = Object.fromEntries(
    Object.entries(stores).map(([name, store]) => [name, typeof store === "object" && store !== null ? wrap(name, store as object) : store]),
  ) as T;
  return {
    stores: wrapped,
    counter: {
      total: () => calls.length,
      records: () => calls.filter((c) => c !== "audit.append").length,
      log: () => [...calls],
    },
  };
}
