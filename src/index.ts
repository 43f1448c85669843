/** The package's library surface: the DSM client, usable without Node-RED. */
export * from './dsm';
