/**
 * The open loop's requests in flight: a count, not a list, so a long run keeps no promise per request.
 * The first failure is kept (and handled at once, so it is never an unhandled rejection).
 */
export class InFlight {
  private count = 0;
  private firstError: { error: unknown } | null = null;
  private wake: (() => void) | null = null;

  /** True once a request failed (the loop stops issuing). */
  get failed(): boolean {
    return this.firstError !== null;
  }

  add(request: Promise<void>): void {
    this.count += 1;
    request.then(
      () => this.done(),
      (error: unknown) => {
        this.firstError ??= { error };
        this.done();
      },
    );
  }

  /** Resolves when every request added has settled; rejects then with the first failure, if any. */
  async settled(): Promise<void> {
    if (this.count > 0) await new Promise<void>((resolve) => (this.wake = resolve));
    if (this.firstError) throw this.firstError.error;
  }

  private done(): void {
    this.count -= 1;
    if (this.count === 0 && this.wake) {
      const wake = this.wake;
      this.wake = null;
      wake();
    }
  }
}
