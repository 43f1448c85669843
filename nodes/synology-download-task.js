module.exports = require('../dist/nodes/synology-download-task').default;
