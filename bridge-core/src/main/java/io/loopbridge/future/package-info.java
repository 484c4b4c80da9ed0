/** Futures of the event loop ({@link io.loopbridge.future.LoopFuture}) and what can be awaited. */
package io.loopbridge.future;
