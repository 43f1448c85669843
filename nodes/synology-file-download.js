module.exports = require('../dist/nodes/synology-file-download').default;
