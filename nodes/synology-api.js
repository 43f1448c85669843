module.exports = require('../dist/nodes/synology-api').default;
