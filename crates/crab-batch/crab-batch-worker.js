// The Batch view's Web Worker (crates/crab-batch/src/worker.rs): the same ES module as the view
// (crab-batch.js, wasm-bindgen's `web` target), started off the main thread. It evaluates the
// files the view posts and posts progress, rows and results back; the view terminates it to
// cancel. The app's Back-translate panel starts it too, for its key phrases (src/keyphrases_worker.js). Copied next to index.html by Trunk, so `./crab-batch.js` is its sibling.
import init, { worker_main } from './crab-batch.js';

await init();
worker_main();
