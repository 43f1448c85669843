module.exports = require('../dist/nodes/synology-file-list').default;
