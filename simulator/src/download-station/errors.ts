import { CommonError, DsmApiError } from '../dsm-error';

/** SYNO.DownloadStation.Task error codes (Download Station Web API notes, "task-specific codes"). */
export const TaskError = {
  UploadFailed: 400,
  DestinationDenied: 402,
  DestinationMissing: 403,
  NoSuchTask: 404,
  InvalidAction: 405,
  NoDefaultDestination: 406,
} as const;

export type Ds2Reason = 'required' | 'condition' | 'type';

/**
 * DownloadStation2's "invalid argument" answer `{code: 120, errors: {name, reason}}` (mikespub tools/errors
 * Task.List-get: reason "required"; sickchill #7062: `{name: "file", reason: "condition"}`). The reason
 * "type" for a value that is not JSON is the simulator's guess: no capture shows that reason.
 */
export function ds2ArgumentError(name: string, reason: Ds2Reason): DsmApiError {
  return new DsmApiError(CommonError.InvalidParameter, { name, reason });
}
