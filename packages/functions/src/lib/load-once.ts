/** Loads something once, on the first call, and hands every caller the same promise (a failed load is tried again). */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    const made = (loading ??= load());
    made.catch(() => (loading = undefined));
    return made;
  };
}
