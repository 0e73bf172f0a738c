/**
 * Runs an async pass at most once at a time: asking while a pass runs queues exactly one more pass
 * after it (every ask is answered by a pass that started after the ask). Periodic controllers use it
 * for their "check everything now" passes.
 */
export class CoalescedRun {
  private running?: Promise<void>;
  private rerun = false;

  /** `isStopped` ends the chain of queued passes once the owner stops. */
  constructor(
    private readonly pass: () => Promise<void>,
    private readonly isStopped: () => boolean = () => false,
  ) {}

  /** Runs a pass now, or right after the one under way; resolves when that pass has finished. */
  trigger(): Promise<void> {
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    const run = this.runPasses().finally(() => {
      if (this.running === run) this.running = undefined;
    });
    this.running = run;
    return run;
  }

  /** Resolves once no pass is running (failures are the trigger's caller's to see). */
  async settled(): Promise<void> {
    await this.running?.catch(() => {});
  }

  private async runPasses(): Promise<void> {
    do {
      this.rerun = false;
      await this.pass();
    } while (this.rerun && !this.isStopped());
  }
}
