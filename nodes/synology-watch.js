module.exports = require('../dist/nodes/synology-watch').default;
