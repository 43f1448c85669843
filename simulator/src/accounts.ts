import { Secret, TOTP } from 'otpauth';
import type { SimulatorUser } from './options';
import { randomToken } from './random-token';

export interface Account {
  readonly username: string;
  readonly uid: number;
  readonly totp: TOTP | undefined;
  /** Device ids issued with enable_device_token=yes: they skip the OTP step. */
  readonly devices: Map<string, string>;
}

const FIRST_UID = 1026;

/** The simulator's user accounts, their TOTP generators and remembered devices. */
export class Accounts {
  private readonly accounts = new Map<string, Account>();
  private readonly passwords = new Map<string, string>();
  /** Every device token handed out, for tests that check no secret leaks. */
  readonly issuedDeviceIds: string[] = [];

  constructor(users: readonly SimulatorUser[]) {
    users.forEach((user, index) => {
      const totp = user.totpSecret
        ? new TOTP({ secret: Secret.fromBase32(user.totpSecret), algorithm: 'SHA1', digits: 6, period: 30 })
        : undefined;
      this.accounts.set(user.username, {
        username: user.username,
        uid: FIRST_UID + index,
        totp,
        devices: new Map(),
      });
      this.passwords.set(user.username, user.password);
    });
  }

  /** The account if the username exists and the password matches. */
  authenticate(username: string, password: string): Account | undefined {
    const account = this.accounts.get(username);
    return account && this.passwords.get(username) === password ? account : undefined;
  }

  find(username: string): Account | undefined {
    return this.accounts.get(username);
  }

  verifyOtp(account: Account, code: string, now: number): boolean {
    if (!account.totp) return false;
    return account.totp.validate({ token: code.trim(), timestamp: now, window: 1 }) !== null;
  }

  currentOtp(username: string, now: number): string {
    const totp = this.accounts.get(username)?.totp;
    if (!totp) throw new Error(`User "${username}" has no TOTP secret`);
    return totp.generate({ timestamp: now });
  }

  issueDeviceId(account: Account, deviceName: string): string {
    const deviceId = randomToken(48);
    account.devices.set(deviceId, deviceName);
    this.issuedDeviceIds.push(deviceId);
    return deviceId;
  }

  isKnownDevice(account: Account, deviceId: string | undefined): boolean {
    return deviceId !== undefined && account.devices.has(deviceId);
  }
}
