// Loads the Batch view (the crab-batch bundle: crates/crab-batch) the first time its tab is
// shown. Trunk builds that bundle as a worker asset, so its file names are not hashed and the
// page does not load it at startup; it is an ES module (wasm-bindgen's `web` target) whose
// default export initialises its wasm and whose `mount` puts the view into an element.
let loading = null;

export function mountBatch(element) {
  if (!loading) {
    loading = import(new URL('crab-batch.js', document.baseURI).href).then(async (module) => {
      await module.default();
      return module;
    });
    // A failed load (offline, a new deployment) may be retried by showing the tab again.
    loading.catch(() => { loading = null; });
  }
  return loading.then((module) => { module.mount(element); });
}
