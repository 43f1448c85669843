import type { SimulatorClock } from '../clock';

/**
 * up: serving. down: rebooting, nothing answers (connections are dropped). booting: the web server is up but
 * DSM's API is not (pingpong says boot_done false, /webapi answers 502). off: shut down until powered on.
 */
export type PowerPhase = 'up' | 'down' | 'booting' | 'off';

export interface PowerState {
  phase: PowerPhase;
  diskHibernation: boolean;
  /** Simulator time (ms) DSM finished (or will finish) booting: uptime counts from here. */
  bootedAt: number;
}

export interface RebootTimes {
  /** How long (simulator clock) nothing answers. Default 30 s. */
  downMs?: number;
  /** How long after that DSM is booting (pingpong boot_done false, 502). Default 60 s. */
  bootMs?: number;
}

const DEFAULT_DOWN_MS = 30_000;
const DEFAULT_BOOT_MS = 60_000;

/** The NAS's power and disk state over the simulator clock. */
export class NasPower {
  private downUntil = 0;
  private bootUntil: number;
  private off = false;
  private hibernating = false;

  constructor(private readonly clock: SimulatorClock) {
    this.bootUntil = clock.now();
  }

  phase(): PowerPhase {
    const now = this.clock.now();
    if (this.off) return 'off';
    if (now < this.downUntil) return 'down';
    if (now < this.bootUntil) return 'booting';
    return 'up';
  }

  state(): PowerState {
    return { phase: this.phase(), diskHibernation: this.diskHibernation(), bootedAt: this.bootUntil };
  }

  get bootedAt(): number {
    return this.bootUntil;
  }

  diskHibernation(): boolean {
    return this.hibernating && this.phase() === 'up';
  }

  /** The disks spin down; the next Web API request wakes them. */
  hibernate(): void {
    if (this.phase() === 'up') this.hibernating = true;
  }

  wake(): void {
    this.hibernating = false;
  }

  reboot(times: RebootTimes = {}): void {
    const downMs = duration('downMs', times.downMs, DEFAULT_DOWN_MS);
    const bootMs = duration('bootMs', times.bootMs, DEFAULT_BOOT_MS);
    const now = this.clock.now();
    this.off = false;
    this.hibernating = false;
    this.downUntil = now + downMs;
    this.bootUntil = this.downUntil + bootMs;
  }

  shutdown(): void {
    this.off = true;
    this.hibernating = false;
  }

  /** Power on after a shutdown (Wake-on-LAN or the button): booting for bootMs. */
  powerOn(bootMs?: number): void {
    if (!this.off) return;
    this.off = false;
    this.downUntil = 0;
    this.bootUntil = this.clock.now() + duration('bootMs', bootMs, DEFAULT_BOOT_MS);
  }
}

function duration(name: string, ms: number | undefined, fallback: number): number {
  if (ms === undefined) return fallback;
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`${name} must be a finite number of ms >= 0`);
  return ms;
}
