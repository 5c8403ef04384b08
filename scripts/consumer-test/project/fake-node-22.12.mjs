// Preloaded with `node --import` to make the running Node report 22.12.0: the start-up checks of
// the bins and of ai.matey.backend must then stop with their one line, before undici loads.
Object.defineProperty(process.versions, 'node', { value: '22.12.0' });
