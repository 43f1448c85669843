module.exports = require('../dist/nodes/synology-cloudsync').default;
