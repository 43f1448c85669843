module.exports = require('../dist/nodes/synology-dsm').default;
