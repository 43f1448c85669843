module.exports = require('../dist/nodes/synology-download-create').default;
