// Public API of the summary side of the analyzer (builder, sketches, merge, adapters, handler).
export {};
