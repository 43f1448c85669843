import type { HealthItem } from './health';
import { asRecord, flagOrNull, text } from './values';

/** SYNO.Core.Upgrade.Server `check`: whether DSM offers an update. An offered update is a `warning`. */
export interface UpdateHealth extends HealthItem {
  kind: 'update';
  /** null when DSM's answer had no `update.available`. */
  available: boolean | null;
  /** `DSM 6.2.3-25426 Update 2` (DSM 6), `7.0.1-42218 Update 3` (DSM 7); '' when none. */
  version: string;
  /** DSM's `reboot` (`now`, `none`...) and `type` (`nano`...) as sent. */
  reboot: string;
  type: string;
  raw: Record<string, unknown>;
}

export function parseUpdate(answer: unknown): UpdateHealth {
  const update = asRecord(asRecord(answer).update);
  const available = flagOrNull(update.available);
  const version = text(update.version);
  const base = { id: 'update', kind: 'update' as const, name: 'DSM update', available, version };
  const verdict =
    available === false
      ? { health: 'ok' as const, problems: [] }
      : available === true
        ? { health: 'warning' as const, problems: [`${version || 'a DSM update'} is available`] }
        : { health: 'unknown' as const, problems: ['update.available is missing'] };
  return { ...base, ...verdict, reboot: text(update.reboot), type: text(update.type), raw: update };
}
