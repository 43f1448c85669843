/** The simulator's own time: real time plus whatever tests advanced it by. */
export class SimulatorClock {
  private offsetMs = 0;
  private readonly listeners: (() => void)[] = [];

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('advanceClock needs a finite number of ms >= 0');
    this.offsetMs += ms;
    for (const listener of this.listeners) listener();
    return this.now();
  }

  /** Called after every advance (e.g. Download Station moves its tasks on). */
  onAdvance(listener: () => void): void {
    this.listeners.push(listener);
  }
}
