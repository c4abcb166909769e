/**
 * Reads one delivery needs several times (the pipeline and the policy check
 * both want the default branch, the PR and its files) are made once; a
 * failed read is forgotten so a retry asks again.
 */
export class Memo {
  private readonly entries = new Map<string, Promise<unknown>>();

  once<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let p = this.entries.get(key) as Promise<T> | undefined;
    if (!p) {
      p = fn();
      this.entries.set(key, p);
      p.catch(() => this.entries.delete(key));
    }
    return p;
  }

  /** Whether `key` was read (or is being read). */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  /** An earlier read whose key starts with `prefix`, if any. */
  find(prefix: string): Promise<unknown> | undefined {
    for (const [k, v] of this.entries) if (k.startsWith(prefix)) return v;
    return undefined;
  }
}
