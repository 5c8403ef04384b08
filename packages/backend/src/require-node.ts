// Imported first by the package entry: undici 8 (the pooled transport) needs Node.js 22.19 and on
// an older Node fails at import with a TypeError (`createZstdDecompress.bind`). Say instead which
// Node is running and which is needed. Keep in step with `engines` in package.json.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 19)) {
  throw new Error(
    `ai.matey.backend needs Node.js 22.19 or newer (its HTTP client, undici 8, does); this is Node.js ${process.versions.node}.`,
  );
}
