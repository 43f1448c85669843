'use strict';
// The Download Station tasks as the simulator holds them, read with plain HTTP (its own session, not our client):
// a create applied twice leaves two tasks with the same link; the finished ones are what the watch node must report.

async function getJson(url) {
  const res = await fetch(url);
  return res.json();
}

/** Every task of the account: id, link and status. */
async function nasTasks(simUrl, username, password) {
  const info = await getJson(
    `${simUrl}/webapi/query.cgi?api=SYNO.API.Info&version=1&method=query&query=SYNO.API.Auth,SYNO.DownloadStation.Task`,
  );
  const auth = info.data['SYNO.API.Auth'];
  const task = info.data['SYNO.DownloadStation.Task'];
  const login = await getJson(
    `${simUrl}/webapi/${auth.path}?api=SYNO.API.Auth&version=${auth.maxVersion}&method=login` +
      `&account=${encodeURIComponent(username)}&passwd=${encodeURIComponent(password)}&session=DownloadStation&format=sid`,
  );
  if (!login.success) throw new Error(`soak check login failed: ${JSON.stringify(login.error)}`);
  const list = await getJson(
    `${simUrl}/webapi/${task.path}?api=SYNO.DownloadStation.Task&version=1&method=list&additional=detail` +
      `&limit=-1&_sid=${encodeURIComponent(login.data.sid)}`,
  );
  if (!list.success) throw new Error(`soak check task list failed: ${JSON.stringify(list.error)}`);
  return list.data.tasks.map((t) => ({ id: t.id, uri: t.additional?.detail?.uri, status: t.status }));
}

module.exports = { nasTasks };
