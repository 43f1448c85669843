/** One entry of a DSM error code table: what happened, and what the user can do about it. */
export interface ErrorCodeInfo {
  reason: string;
  hint?: string;
}

type CodeTable = Readonly<Record<number, ErrorCodeInfo>>;

const RELOGIN_HINT =
  'The session is renewed automatically; if this persists, check the DSM session settings.';

/** Codes every DSM Web API can answer (Login guide and File Station guide, "Common Error Codes"). */
export const COMMON_CODES: CodeTable = {
  100: { reason: 'Unknown error', hint: 'DSM gave no detail; check the DSM system log.' },
  101: {
    reason: 'No parameter of API, method or version, or an invalid parameter',
    hint: 'Check the parameter names and values against the API documentation.',
  },
  102: {
    reason: 'The requested API does not exist',
    hint: 'Check the API name, and that the package providing it is installed and running on the NAS.',
  },
  103: {
    reason: 'The requested method does not exist',
    hint: 'Check the method name for this API and version.',
  },
  104: {
    reason: 'The requested version does not support the functionality',
    hint: 'Use "auto" as the version, or one within the range DSM reports for this API.',
  },
  105: {
    reason: 'The logged in session does not have permission',
    hint: 'Give the DSM user the privilege for this application (Control Panel > User > Applications).',
  },
  106: { reason: 'Session timeout', hint: RELOGIN_HINT },
  107: { reason: 'Session interrupted by duplicate login', hint: RELOGIN_HINT },
  108: { reason: 'Failed to upload the file' },
  109: { reason: 'The network connection is unstable or the system is busy', hint: 'Try again later.' },
  110: { reason: 'The network connection is unstable or the system is busy', hint: 'Try again later.' },
  111: { reason: 'The network connection is unstable or the system is busy', hint: 'Try again later.' },
  114: { reason: 'Lost parameters for this API', hint: 'A required parameter is missing.' },
  115: {
    reason: 'Not allowed to upload a file',
    hint: 'Check the DSM user has write permission on the folder.',
  },
  116: { reason: 'Not allowed to perform for a demo site' },
  117: { reason: 'The network connection is unstable or the system is busy', hint: 'Try again later.' },
  118: { reason: 'The network connection is unstable or the system is busy', hint: 'Try again later.' },
  119: { reason: 'Invalid session (SID not found)', hint: RELOGIN_HINT },
  120: {
    reason: 'Invalid parameter format',
    hint: 'A parameter has the wrong encoding; APIs with requestFormat JSON want JSON-encoded values.',
  },
  150: {
    reason: 'Request source IP does not match the login IP',
    hint: 'A proxy or load balancer changes the source address; connect to the NAS directly.',
  },
};

const PASSWORD_HINT = 'Check the username and password in the Synology config node.';

/** SYNO.API.Auth codes (Login guide, "API Error Codes"). */
export const AUTH_CODES: CodeTable = {
  400: { reason: 'No such account or incorrect password', hint: PASSWORD_HINT },
  401: { reason: 'Disabled account', hint: 'Enable the account in DSM (Control Panel > User).' },
  402: {
    reason: 'Denied permission',
    hint: 'The account may not log in to this application; check its application privileges and the session name.',
  },
  403: {
    reason: '2-factor authentication code required',
    hint: 'Use "Trust this device (2FA)" in the config node, or give it the TOTP secret.',
  },
  404: {
    reason: 'Failed to authenticate 2-factor authentication code',
    hint: 'The code was wrong or expired; check the TOTP secret and the clock of this machine.',
  },
  406: {
    reason: 'Enforce to authenticate with 2-factor authentication code',
    hint: 'DSM requires 2FA for this account: set it up in DSM, then trust this device in the config node.',
  },
  407: {
    reason: 'Blocked IP source',
    hint: 'DSM auto-blocked this IP after failed logins: remove it in Control Panel > Security > Protection.',
  },
  408: {
    reason: 'Expired password cannot change',
    hint: 'Log in to DSM in a browser and set a new password.',
  },
  409: { reason: 'Expired password', hint: 'Log in to DSM in a browser and set a new password.' },
  410: { reason: 'Password must be changed', hint: 'Log in to DSM in a browser and set a new password.' },
};

const OVERWRITE_HINT = 'Pass overwrite: true to replace the existing file, or false to skip it.';

/** SYNO.FileStation.* codes (File Station guide: common file operation codes and per-API codes). */
export const FILE_STATION_CODES: CodeTable = {
  400: { reason: 'Invalid parameter of file operation' },
  401: { reason: 'Unknown error of file operation' },
  402: { reason: 'System is too busy', hint: 'Try again later.' },
  403: { reason: 'Invalid user does this file operation' },
  404: { reason: 'Invalid group does this file operation' },
  405: { reason: 'Invalid user and group does this file operation' },
  406: { reason: "Can't get user/group information from the account server" },
  407: { reason: 'Operation not permitted', hint: 'Check the DSM user permissions on this shared folder.' },
  408: {
    reason: 'No such file or directory',
    hint: 'Paths start with the shared folder, e.g. /home/file.txt.',
  },
  409: { reason: 'Non-supported file system' },
  410: { reason: 'Failed to connect internet-based file system (e.g., CIFS)' },
  411: { reason: 'Read-only file system', hint: 'The shared folder is read-only for this user.' },
  412: { reason: 'Filename too long in the non-encrypted file system' },
  413: { reason: 'Filename too long in the encrypted file system' },
  414: { reason: 'File already exists', hint: 'Choose another name or allow overwriting.' },
  415: { reason: 'Disk quota exceeded' },
  416: { reason: 'No space left on device' },
  417: { reason: 'Input/output error' },
  418: { reason: 'Illegal name or path' },
  419: { reason: 'Illegal file name' },
  420: { reason: 'Illegal file name on FAT file system' },
  421: { reason: 'Device or resource busy', hint: 'Try again later.' },
  599: { reason: 'No such task of the file operation' },
  800: { reason: 'The favorite folder is already added' },
  801: { reason: "The favorite name conflicts with an existing folder path in the user's favorites" },
  802: { reason: 'There are too many favorites to be added' },
  900: { reason: 'Failed to delete file(s)/folder(s)' },
  1000: { reason: 'Failed to copy files/folders' },
  1001: { reason: 'Failed to move files/folders' },
  1002: { reason: 'An error occurred at the destination' },
  1003: {
    reason: 'Cannot overwrite or skip the existing file because no overwrite parameter is given',
    hint: OVERWRITE_HINT,
  },
  1004: { reason: 'A file cannot overwrite a folder with the same name, or the reverse' },
  1006: { reason: 'Cannot copy/move a file/folder with special characters to a FAT32 file system' },
  1100: { reason: 'Failed to create a folder' },
  1101: { reason: 'The number of folders in the parent folder would exceed the system limit' },
  1200: { reason: 'Failed to rename it' },
  1300: { reason: 'Failed to compress files/folders' },
  1301: { reason: 'Cannot create the archive because the given archive name is too long' },
  1400: { reason: 'Failed to extract files' },
  1401: { reason: 'Cannot open the file as archive' },
  1402: { reason: 'Failed to read archive data' },
  1403: { reason: 'Wrong archive password', hint: "Give the archive's password." },
  1404: { reason: 'Failed to get the file and folder list in an archive' },
  1405: { reason: 'Failed to find the item ID in an archive file' },
  1800: {
    reason: 'Missing or wrong Content-Length in the upload',
    hint: 'A proxy between here and the NAS may re-chunk the upload.',
  },
  1801: { reason: 'Upload timed out: no data received from the client' },
  1802: { reason: 'No filename information in the last part of the upload' },
  1803: { reason: 'Upload connection was cancelled' },
  1804: { reason: 'Failed to upload an oversized file to a FAT file system' },
  1805: {
    reason: "Can't overwrite or skip the existing file: no overwrite parameter given",
    hint: OVERWRITE_HINT,
  },
  2000: { reason: 'Sharing link does not exist' },
  2001: { reason: 'Cannot generate sharing link because too many sharing links exist' },
  2002: { reason: 'Failed to access sharing links' },
};

/** SYNO.DownloadStation.* codes (Download Station notes, Task codes). */
export const DOWNLOAD_STATION_CODES: CodeTable = {
  400: { reason: 'File upload failed' },
  401: { reason: 'Max number of tasks reached' },
  402: { reason: 'Destination denied', hint: 'Check the DSM user may write to the destination folder.' },
  403: {
    reason: 'Destination does not exist',
    hint: 'The destination is share-relative, e.g. downloads/tv.',
  },
  404: { reason: 'Invalid task id' },
  405: { reason: 'Invalid task action' },
  406: {
    reason: 'No default destination',
    hint: 'Set a default destination in Download Station, or give a destination.',
  },
  407: { reason: 'Set destination failed' },
  408: { reason: 'File does not exist' },
};

/** SYNO.CloudSync is undocumented by Synology; these are the codes public clients report. */
export const CLOUD_SYNC_CODES: CodeTable = {};

/**
 * What a file operation code says about one path of a batch error's `errors` list, worded to follow the path:
 * "/home/zips does not exist". Codes from the File Station guide, "Common Error Codes" of file operations.
 */
const PATH_PROBLEMS: Readonly<Record<number, string>> = {
  400: 'was refused: invalid parameter of file operation',
  401: 'failed: unknown error of file operation',
  402: 'failed: the system is too busy',
  407: 'is not permitted for this user',
  408: 'does not exist',
  409: 'is on a non-supported file system',
  410: 'is on an internet-based file system that failed to connect',
  411: 'is on a read-only file system',
  412: 'has a name too long for the file system',
  413: 'has a name too long for the encrypted file system',
  414: 'already exists',
  415: 'would exceed the disk quota',
  416: 'failed: no space left on device',
  417: 'failed: input/output error',
  418: 'is an illegal name or path',
  419: 'is an illegal file name',
  420: 'is an illegal file name on a FAT file system',
  421: 'is busy',
};

/** What a per-path code of a batch error says about its path. */
export function describePathFailure(code: number): string {
  const problem = PATH_PROBLEMS[code];
  if (problem) return problem;
  const reason = FILE_STATION_CODES[code]?.reason;
  return reason ? `failed: ${reason}` : `failed with code ${code}`;
}

function tableFor(api: string): CodeTable {
  if (api === 'SYNO.API.Auth') return AUTH_CODES;
  if (api.startsWith('SYNO.FileStation.')) return FILE_STATION_CODES;
  if (api.startsWith('SYNO.DownloadStation')) return DOWNLOAD_STATION_CODES;
  if (api === 'SYNO.CloudSync' || api.startsWith('SYNO.CloudSync.')) return CLOUD_SYNC_CODES;
  return {};
}

/** What a DSM error code means for this API: the API's own table first, then the common codes. */
export function describeDsmCode(api: string, code: number): ErrorCodeInfo {
  return (
    tableFor(api)[code] ??
    COMMON_CODES[code] ?? {
      reason: `DSM error ${code}`,
      hint: 'This code is not documented for this API; see the DSM API documentation.',
    }
  );
}
