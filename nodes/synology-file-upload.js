module.exports = require('../dist/nodes/synology-file-upload').default;
