module.exports = require('../dist/nodes/synology-file-op').default;
