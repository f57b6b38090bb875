/**
 * Workflow variables. The top-level states share one scope; each Parallel branch and Map
 * iteration gets a child scope that reads outer scopes; a Distributed Map child starts with an
 * empty scope. New values take effect when the assigning state finishes.
 */
export class VariableScope {
  private readonly values = new Map<string, unknown>();

  constructor(readonly parent?: VariableScope) {}

  child(): VariableScope {
    return new VariableScope(this);
  }

  has(name: string): boolean {
    return this.values.has(name) || (this.parent?.has(name) ?? false);
  }

  get(name: string): unknown {
    if (this.values.has(name)) return this.values.get(name);
    return this.parent?.get(name);
  }

  /** Assigns in this scope (an inner scope never writes to an outer one). */
  set(name: string, value: unknown): void {
    this.values.set(name, value);
  }

  assignAll(values: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(values)) this.set(k, v);
  }

  /** Every visible variable, inner names shadowing outer ones (for JSONata bindings). */
  snapshot(): Record<string, unknown> {
    const out: Record<string, unknown> = this.parent ? this.parent.snapshot() : {};
    for (const [k, v] of this.values) out[k] = v;
    return out;
  }
}
