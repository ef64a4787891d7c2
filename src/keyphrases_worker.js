// The back-translate panel's key phrases (`crab:key_phrases`) come from the Batch bundle's worker
// (crates/crab-batch/src/worker.rs): YAKE is not in the app's first-load bundle. The worker is
// started on the first request and kept; requests go one at a time, and a newer request
// replaces a queued one (which then resolves to null). A worker that fails to load rejects
// every request with the reason (a string) and is not fetched again; one that stops after it
// has loaded (a panic traps the module) rejects what it was asked, and the next request starts
// a fresh one.
let worker = null;
let ready = null;
let failure = null;
let busy = null;
let queued = null;
let next = 0;

function start() {
  const started = new Worker(new URL('crab-batch-worker.js', document.baseURI).href, { type: 'module' });
  let loaded = false;
  worker = started;
  ready = new Promise((resolve, reject) => {
    started.addEventListener('message', function onReady(event) {
      if (event.data && event.data.type === 'ready') {
        started.removeEventListener('message', onReady);
        loaded = true;
        resolve();
      }
    });
    started.addEventListener('error', (event) => {
      event.preventDefault();
      const why = loaded
        ? `the worker stopped: ${event.message || 'an error'}`
        : `the worker did not load: ${event.message || 'its script could not be fetched'}`;
      if (loaded) {
        started.terminate();
        if (worker === started) worker = null;
      } else {
        failure = why;
        reject(why);
      }
      if (busy) busy.reject(why);
      if (queued) queued.reject(why);
      busy = queued = null;
    });
  });
  started.addEventListener('message', (event) => {
    const data = event.data;
    if (!data || data.type !== 'keyphrases' || !busy || data.id !== busy.id) return;
    busy.resolve(data.json);
    busy = null;
    send();
  });
}

function send() {
  if (busy || !queued) return;
  busy = queued;
  queued = null;
  const { id, instruction, response, seed } = busy;
  worker.postMessage({ type: 'keyphrases', id, instruction, response, seed });
}

// Resolves to the worker's derivation (JSON text), or null when a newer request replaced it.
export function deriveKeyPhrases(instruction, response, seed) {
  if (failure) return Promise.reject(failure);
  if (!worker) start();
  return new Promise((resolve, reject) => {
    if (queued) queued.resolve(null);
    queued = { id: (next += 1), instruction, response, seed, resolve, reject };
    ready.then(send, reject);
  });
}
