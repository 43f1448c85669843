import { CommonError, DsmApiError } from '../dsm-error';
import type { ApiCall, ApiHandler } from './api-handler';

function get(call: ApiCall): Record<string, unknown> {
  const { sim, session } = call;
  const account = session && sim.accounts.find(session.account);
  if (!account) throw new DsmApiError(CommonError.InvalidSession);
  // The File Station guide (DSM 6) documents support_virtual_protocol as a comma string; DSM 7 answers an array.
  const protocols = ['cifs', 'nfs', 'iso'];
  return {
    enable_list_usergrp: false,
    enable_send_email_attachment: true,
    enable_view_google: true,
    enable_view_microsoft: true,
    hostname: sim.options.hostname,
    is_manager: true,
    items: [{ gid: 100 }, { gid: 101 }],
    support_file_request: true,
    support_sharing: true,
    support_vfs: true,
    support_virtual: { enable_iso_mount: true, enable_remote_mount: true },
    support_virtual_protocol: sim.profile.name === 'dsm6' ? protocols.join(',') : protocols,
    system_codepage: 'enu',
    uid: account.uid,
  };
}

export const fileStationInfoHandler: ApiHandler = { methods: { get } };
