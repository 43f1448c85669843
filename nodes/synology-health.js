module.exports = require('../dist/nodes/synology-health').default;
